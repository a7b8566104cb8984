using k8s;
using k8s.Models;
using KubeExpose.Core.Exposure;

namespace KubeExpose.Core.Cluster;

/// <summary>Reads the workload to expose, by kind and name, with errors that say how to list what exists.</summary>
internal static class WorkloadReader
{
    public static async Task<Workload> ReadAsync(IKubernetes client, string ns, WorkloadRef target, CancellationToken ct)
    {
        var (resource, plural) = target.Kind switch
        {
            WorkloadKind.Deployment => ("deployments.apps", "deployments"),
            WorkloadKind.StatefulSet => ("statefulsets.apps", "statefulsets"),
            WorkloadKind.DaemonSet => ("daemonsets.apps", "daemonsets"),
            WorkloadKind.ReplicaSet => ("replicasets.apps", "replicasets"),
            WorkloadKind.ReplicationController => ("replicationcontrollers", "replicationcontrollers"),
            WorkloadKind.Job => ("jobs.batch", "jobs"),
            WorkloadKind.Pod => ("pods", "pods"),
            _ => ("services", "services"),
        };
        try
        {
            IKubernetesObject<V1ObjectMeta> item = target.Kind switch
            {
                WorkloadKind.Deployment => await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                WorkloadKind.StatefulSet => await client.AppsV1.ReadNamespacedStatefulSetAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                WorkloadKind.DaemonSet => await client.AppsV1.ReadNamespacedDaemonSetAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                WorkloadKind.ReplicaSet => await client.AppsV1.ReadNamespacedReplicaSetAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                WorkloadKind.ReplicationController => await client.CoreV1.ReadNamespacedReplicationControllerAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                WorkloadKind.Job => await client.BatchV1.ReadNamespacedJobAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                WorkloadKind.Pod => await client.CoreV1.ReadNamespacedPodAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
                _ => await client.CoreV1.ReadNamespacedServiceAsync(target.Name, ns, cancellationToken: ct).ConfigureAwait(false),
            };
            return Workload.From(item, ns);
        }
        catch (Exception e) when (e is not KubeExposeException and not OperationCanceledException)
        {
            var mapped = ApiErrors.Map(e, "get", resource, ns, target.Name);
            if (mapped is KubeExposeException { Kind: KubeExposeErrorKind.NotFound } notFound)
            {
                throw new KubeExposeException(KubeExposeErrorKind.NotFound, "WorkloadNotFound",
                    $"{target} was not found in namespace {ns}. List what exists with: kubectl get {plural} -n {ns}",
                    $"{target} in namespace {ns}", e);
            }

            throw mapped;
        }
    }
}

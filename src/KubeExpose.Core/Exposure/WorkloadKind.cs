namespace KubeExpose.Core.Exposure;

/// <summary>The kinds Expose-Workload accepts: everything with a pod template or pods, plus an existing Service.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    Pod,
    Service,
}

namespace KubeExpose.Core.Cluster;

/// <summary>How to reach the cluster; every value left null means "what kubectl would use".</summary>
/// <param name="KubeConfig">Path(s) to kubeconfig files (separated as in <c>KUBECONFIG</c>); null: <c>KUBECONFIG</c>, then <c>~/.kube/config</c>, then in-cluster.</param>
/// <param name="Context">The context to use; null: the kubeconfig's current context.</param>
/// <param name="Namespace">The namespace to work in; null: the context's namespace, else <c>default</c>.</param>
public sealed record KubeConnectionOptions(string? KubeConfig = null, string? Context = null, string? Namespace = null);

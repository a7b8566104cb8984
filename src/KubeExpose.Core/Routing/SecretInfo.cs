namespace KubeExpose.Core.Routing;

/// <summary>A Secret as the model sees it: where it is and what type it is, never its data.</summary>
public sealed record SecretInfo(string Namespace, string Name, string Type);

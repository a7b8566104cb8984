using KubeExpose.Bench;

// dotnet run -c Release --project bench/KubeExpose.Bench -- routing [--services N] [--runs R] [--model-only] [--keep] [--dump PREFIX]
var command = args.FirstOrDefault() ?? "";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "routing":
        RoutingModelBench.Run(options);
        if (!options.ModelOnly)
        {
            await RoutingClusterBench.RunAsync(options).ConfigureAwait(false);
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: KubeExpose.Bench routing [--services N] [--runs R] [--model-only] [--keep] [--dump PREFIX]");
        Console.Error.WriteLine("  routing: the routing model on generated snapshots (5k and 10k Services), then Get-ServiceReachability's");
        Console.Error.WriteLine("           read + model on N Services of the local cluster against kubectl get svc,endpointslices,pods,nodes,ingress -A -o json.");
        return 2;
}

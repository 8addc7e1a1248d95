using System.Globalization;
using BenchmarkDotNet.Running;
using HlsCdn.Benchmarks;

// dotnet run -c Release --project benchmarks/HlsCdn.Benchmarks                     (BenchmarkDotNet: fan-out allocations)
// dotnet run -c Release --project benchmarks/HlsCdn.Benchmarks -- load 100 500000 1 10   (spectators, bytes, fragments/s, seconds)
if (args.Length > 0 && args[0] == "load")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    return await LoopbackLoad.RunAsync(Arg(1, 100), Arg(2, 500_000), args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 1, Arg(4, 10));
}

BenchmarkSwitcher.FromAssembly(typeof(FanOutBenchmarks).Assembly).Run(args);
return 0;

using BenchmarkDotNet.Running;
using HlsCdn.Benchmarks;

// dotnet run -c Release --project benchmarks/HlsCdn.Benchmarks      (BenchmarkDotNet: fan-out and send-path allocations)
// Load runs over real sockets (latency, delivery, server CPU and RSS): HlsCdn.Tester bench, see docs/performance.md.
BenchmarkSwitcher.FromAssembly(typeof(FanOutBenchmarks).Assembly).Run(args);

using HlsCdn.Tester.Cli;

return await TesterCli.RunAsync(args).ConfigureAwait(false);

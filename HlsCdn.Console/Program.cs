using HlsCdn.Console;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCdnConsole();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCdnConsole();
app.Run();

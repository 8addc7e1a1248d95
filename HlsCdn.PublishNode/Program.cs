using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddHlsCdnNode(NodeRole.Publish, defaultPort: 8080);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapHlsCdnNode();
app.Run();

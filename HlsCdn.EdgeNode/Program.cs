using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddHlsCdnNode(NodeRole.Edge, defaultPort: 8081);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapHlsCdnNode();
app.Run();

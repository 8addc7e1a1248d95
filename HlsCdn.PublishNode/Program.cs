using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;

// Settings files are read from beside the binary, wherever the node is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.AddHlsCdnNode(NodeRole.Publish, defaultPort: 8080);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapHlsCdnNode();
app.Run();

using HlsCdn.Registry;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOptions<GarnetRegistryOptions>()
    .BindConfiguration(GarnetRegistryOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddHostedService<GarnetRegistryService>();
builder.Build().Run();

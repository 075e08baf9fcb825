using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TeenMode;
using TeenMode.AspNetCore;
using TeenMode.Health;

var builder = WebApplication.CreateBuilder(args);
builder.Services
    .AddTeenMode(o => o.RulePackId = "cn-cac-2024")
    .UseSqlite("teenmode.db");
builder.Services.AddHealthChecks().AddTeenModeHealthChecks();
var app = builder.Build();

app.MapTeenMode();   // the versioned JSON API under /teenmode/v1 (青少年模式接口)

// Liveness: the process is up. Readiness: the store answers and the rule packs load.
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(TeenModeHealthChecksBuilderExtensions.LiveTag) });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(TeenModeHealthChecksBuilderExtensions.ReadyTag) });

app.Run();

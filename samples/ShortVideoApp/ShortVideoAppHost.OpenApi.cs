using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using TeenMode;

namespace ShortVideoApp;

/// <summary>The OpenAPI document of the <c>/teenmode/v1</c> surface (checked in as <c>docs/openapi.json</c>).</summary>
public static partial class ShortVideoAppHost
{
    /// <summary>Where the document is served (outside Production, or with <see cref="ShortVideoAppOptions.ExposeOpenApi"/>).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    private static void ConfigureOpenApi(WebApplicationBuilder builder)
    {
        // The API reads numbers as JSON numbers only; the web default (numbers as strings too) would describe both.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        builder.Services.AddOpenApi("v1", o =>
        {
            // The SDK's API only: the sample's own /api, the probes and the conformance driver are not part of it.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("teenmode/v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TeenMode HTTP API (青少年模式)",
                    Version = "v1",
                    Description = "The /teenmode/v1 surface of TeenMode.Sdk.AspNetCore. Errors are application/problem+json (TeenModeProblem) "
                        + "with a stable reasonCode; WellKnownReasonCode lists the SDK's decision codes. 错误以 problem+json 返回，reasonCode 为稳定的原因代码。",
                };

                // The address differs per run and per host: not part of the contract.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                document.Components.Schemas["WellKnownReasonCode"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The SDK's well-known reason codes (ReasonCode.WellKnown). Request-level problems use a few more, e.g. invalid-request, invalid-json, unauthenticated, forbidden, internal-error.",
                    Enum = [.. ReasonCode.WellKnown.Select(c => (JsonNode)JsonValue.Create(c.Value))],
                };
                return Task.CompletedTask;
            });
        });
    }

    private static void MapOpenApi(WebApplication app, ShortVideoAppOptions options)
    {
        if (!app.Environment.IsProduction() || options.ExposeOpenApi)
        {
            app.MapOpenApi("/openapi/{documentName}.json");
        }
    }
}

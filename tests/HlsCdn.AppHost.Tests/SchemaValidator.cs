using System.Text.Json;

namespace HlsCdn.AppHost.Tests;

/// <summary>
/// A JSON Schema (draft-07) validator for the keywords the Aspire manifest schema uses: <c>type</c>, <c>required</c>,
/// <c>properties</c>, <c>additionalProperties</c>, <c>items</c>, <c>const</c>, <c>enum</c>, <c>oneOf</c>, <c>not</c>,
/// <c>$ref</c> and boolean schemas. It reads the schema file itself and refuses any keyword it does not implement, so a
/// newer schema cannot be half-checked silently. (The JSON-schema libraries on the package mirror either do not restore
/// or cannot read boolean schemas.)
/// </summary>
internal sealed class SchemaValidator(JsonElement root)
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "description", "title", "definitions", "default", "examples"];
    private static readonly HashSet<string> Implemented =
        ["type", "required", "properties", "additionalProperties", "items", "const", "enum", "oneOf", "not", "$ref"];

    public static SchemaValidator Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement);

    public List<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string at, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{at}: not allowed (false schema)");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Annotations.Contains(keyword.Name) && !Implemented.Contains(keyword.Name))
            {
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' is not implemented by this validator.");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), value, at, errors);
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            errors.Add($"{at}: expected type {type}, got {value.ValueKind}");
            return;
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            errors.Add($"{at}: expected {constant}");
        }

        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            errors.Add($"{at}: {value} is not one of {options}");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(schema, value, at, errors);
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{at}[{index++}]", errors);
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var matching = oneOf.EnumerateArray().Count(s => Valid(s, value, at));
            if (matching != 1)
            {
                errors.Add($"{at}: matches {matching} of the oneOf schemas, expected exactly 1");
            }
        }

        if (schema.TryGetProperty("not", out var not) && Valid(not, value, at))
        {
            errors.Add($"{at}: matches a schema it must not match");
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string at, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{at}: missing required property '{name}'");
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var path = $"{at}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, path, errors);
            }
            else if (hasAdditional)
            {
                Check(additional, property.Value, path, errors);
            }
        }
    }

    private bool Valid(JsonElement schema, JsonElement value, string at)
    {
        var errors = new List<string>();
        Check(schema, value, at, errors);
        return errors.Count == 0;
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported: {reference}");
        }

        var node = root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => TypeMatches(t.GetString()!, value))
        : TypeMatches(type.GetString()!, value);

    private static bool TypeMatches(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"Unknown type '{type}'."),
    };
}

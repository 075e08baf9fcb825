namespace TeenMode.Postgres.Internal;

internal static class Bands
{
    public static AgeBand Parse(string id) =>
        AgeBand.TryParse(id, out var band) ? band : throw new InvalidDataException($"'{id}' in the TeenMode database is not a band id.");
}

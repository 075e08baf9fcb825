namespace TeenMode.Postgres.Internal;

internal static partial class Migrations
{
    // Age assurance (issue 16): where real-name verification stands, the provider's player id and the birth date the
    // checked identity number gives (never the number itself),
    // and the devices that report system-wide minor mode (teen mode cannot be left while the array is non-empty).
    private const string AgeAssurance0002 = """
        ALTER TABLE subjects ADD COLUMN real_name_status text NOT NULL DEFAULT 'NotChecked';
        ALTER TABLE subjects ADD COLUMN real_name_pi text NULL;
        ALTER TABLE subjects ADD COLUMN real_name_birth_date date NULL;
        ALTER TABLE subjects ADD COLUMN minor_mode_devices text[] NOT NULL DEFAULT '{}';
        """;
}

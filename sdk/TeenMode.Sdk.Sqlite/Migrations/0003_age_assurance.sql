-- Age assurance (issue 16): where real-name verification stands, the provider's player id and the birth date the
-- checked identity number gives (never the number itself),
-- and the devices that report system-wide minor mode (a JSON array of device ids; teen mode cannot be left while non-empty).
ALTER TABLE subjects ADD COLUMN real_name_status TEXT NOT NULL DEFAULT 'NotChecked';
ALTER TABLE subjects ADD COLUMN real_name_pi TEXT NULL;
ALTER TABLE subjects ADD COLUMN real_name_birth_date TEXT NULL;
ALTER TABLE subjects ADD COLUMN minor_mode_devices TEXT NOT NULL DEFAULT '[]';

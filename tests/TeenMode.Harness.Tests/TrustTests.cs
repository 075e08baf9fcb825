using TeenMode.Harness.Trust;

namespace TeenMode.Harness.Tests;

public sealed class TrustTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("teenmode-sign-");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<(string Public, string Private)> SignedFolderAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "report.json"), "{\"verdict\":\"conformant\"}");
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "junit.xml"), "<testsuites/>");
        var (privatePem, publicPem) = ReportSigner.CreateKeyPair();
        await ReportSigner.SignAsync(_dir.FullName, privatePem);
        return (publicPem, privatePem);
    }

    [Fact]
    public async Task UntouchedFolder_Verifies()
    {
        var (publicPem, _) = await SignedFolderAsync();

        (await ReportSigner.VerifyAsync(_dir.FullName, publicPem)).Valid.Should().BeTrue();
    }

    [Theory]
    [InlineData("report.json")]
    [InlineData("junit.xml")]
    [InlineData(ReportSigner.ManifestName)]
    public async Task OneChangedByte_AnywhereFailsVerification(string file)
    {
        var (publicPem, _) = await SignedFolderAsync();
        var path = Path.Combine(_dir.FullName, file);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var result = await ReportSigner.VerifyAsync(_dir.FullName, publicPem);

        result.Valid.Should().BeFalse();
        result.Problems.Should().NotBeEmpty();
    }

    [Fact]
    public async Task MissingOrAddedFile_AndWrongKey_FailVerification()
    {
        var (publicPem, _) = await SignedFolderAsync();
        var other = ReportSigner.CreateKeyPair().PublicKeyPem;

        (await ReportSigner.VerifyAsync(_dir.FullName, other)).Problems.Single().Should().Contain("signature");

        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "extra.txt"), "x");
        (await ReportSigner.VerifyAsync(_dir.FullName, publicPem)).Problems.Should().ContainSingle(p => p.StartsWith("extra.txt", StringComparison.Ordinal));

        File.Delete(Path.Combine(_dir.FullName, "junit.xml"));
        (await ReportSigner.VerifyAsync(_dir.FullName, publicPem)).Problems.Should().Contain(p => p.StartsWith("junit.xml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SigningWithAPublicKeyOrGarbage_IsAClearError()
    {
        var publicPem = ReportSigner.CreateKeyPair().PublicKeyPem;

        await FluentActions.Invoking(() => ReportSigner.SignAsync(_dir.FullName, publicPem)).Should().ThrowAsync<ArgumentException>().WithMessage("*private key*");
        await FluentActions.Invoking(() => ReportSigner.SignAsync(_dir.FullName, "not a key")).Should().ThrowAsync<ArgumentException>().WithMessage("*PEM*");
    }
}

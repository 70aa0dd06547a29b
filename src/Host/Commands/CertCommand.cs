using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Decentral.Remote;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral cert --out dev.pfx [--password-env VAR] [--subject NAME] [--days N] [--force]`: writes a
/// self-signed development certificate with its private key (PKCS#12, readable by its owner only) for
/// <c>decentral.remote.tls.certificate</c>, encrypted with the password in the environment variable
/// (DECENTRAL_TLS_PASSWORD unless named; without it the file has no password). Prints its thumbprint.
/// </summary>
internal static class CertCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The PKCS#12 (.pfx) file to write", Required = true };
        var passwordEnv = new Option<string?>("--password-env")
        {
            Description = $"Environment variable with the file's password (default {TlsOptions.DefaultPasswordEnv}; when that one is unset the file gets no password)",
        };
        var subject = new Option<string>("--subject") { Description = "Common name of the certificate", DefaultValueFactory = _ => "decentral-dev" };
        var days = new Option<int>("--days") { Description = "Days the certificate stays valid", DefaultValueFactory = _ => 365 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var command = new Command("cert", "Write a self-signed development certificate for TLS between processes (decentral.remote.tls)")
        {
            output, passwordEnv, subject, days, force,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                return Run(parse.GetValue(output)!, parse.GetValue(passwordEnv), parse.GetValue(subject)!, parse.GetValue(days), parse.GetValue(force), stdout);
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"decentral cert: {e.Message}");
                return Cli.BadInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"decentral cert: cannot write {parse.GetValue(output)}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(string output, string? passwordEnv, string subject, int days, bool force, TextWriter stdout)
    {
        if (days < 1)
        {
            throw new UsageException($"--days: expected at least 1, found {days}");
        }

        if (string.IsNullOrWhiteSpace(subject) || subject.Any(c => c is ',' or '=' or '+' or '"' or '\\' or '<' or '>' or ';' || char.IsControl(c)))
        {
            throw new UsageException($"--subject: '{subject}' is not a plain common name");
        }

        var variable = passwordEnv ?? TlsOptions.DefaultPasswordEnv;
        var password = Environment.GetEnvironmentVariable(variable);
        if (passwordEnv is not null && string.IsNullOrEmpty(password))
        {
            throw new UsageException($"--password-env: environment variable {variable} is not set");
        }

        var path = Path.GetFullPath(output);
        if (File.Exists(path) && !force)
        {
            throw new UsageException($"--out: {path} exists; pass --force to overwrite it");
        }

        var pfx = RemoteTls.CreateDevelopmentPfx(subject, days, string.IsNullOrEmpty(password) ? null : password);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, options))
        {
            file.Write(pfx);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var certificate = X509CertificateLoader.LoadPkcs12(pfx, string.IsNullOrEmpty(password) ? null : password);
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine($"wrote {path}: {certificate.Subject}, self-signed, valid until {certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", inv)}");
        stdout.WriteLine($"thumbprint {certificate.Thumbprint}");
        stdout.WriteLine(string.IsNullOrEmpty(password)
            ? $"no password ({variable} is not set): keep the file readable by its owner only"
            : $"password from {variable}: set it in the environment of every process");
        stdout.WriteLine($"use it on every process: decentral.remote.tls {{ certificate = \"{path}\", password-env = {variable} }}");
        return 0;
    }
}

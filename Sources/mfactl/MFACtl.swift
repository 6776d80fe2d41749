import ArgumentParser
import Vault

#if canImport(Glibc)
  import Glibc
#endif

@main
struct MFACtl: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "mfactl",
    abstract: "Keep the second-factor state of user accounts in an encrypted vault.",
    discussion: """
      Exit status: 0 success, 1 rejected, 2 locked out, 64 usage, 65 bad or corrupt data, \
      66 not found, 73 cannot create, 74 I/O error, 75 vault busy, 77 unlock failed.
      """,
      version: "mfactl \(version) (vault format \(VaultFormat.version))",
    subcommands: [
      Init.self, Enrol.self, Verify.self, Code.self, RecoveryCodesGroup.self, DevicesGroup.self, SessionsGroup.self,
      ChallengeGroup.self, Users.self, AuditGroup.self, Status.self, VaultGroup.self,
      BackupGroup.self,
    ])

  /// The subcommand names at the start of `arguments` that name real commands, so a
  /// usage hint points at help that exists.
  static func commandPath(_ arguments: [String]) -> [String] {
    var command: ParsableCommand.Type = MFACtl.self
    var path: [String] = []
    for a in arguments where !a.hasPrefix("-") {
      guard let sub = command.configuration.subcommands.first(where: { $0._commandName == a }) else { break }
      path.append(a)
      command = sub
    }
    return path
  }

  /// Parses and runs, reporting ArgumentParser's own errors in mfactl's voice with the
  /// usage exit code (64); help and --version print as usual.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
      if try FastPath.run(arguments) {
        // done
      } else {
        var command = try parseAsRoot(arguments)
        try command.run()
      }
      fflush(stdout)
      Glibc.exit(0)
    } catch let code as ExitCode {
      fflush(stdout)
      Glibc.exit(code.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        exit(withError: error)  // --help, --version
      }
      let message = self.message(for: error)
      Report.error(
        message.prefix(1).lowercased() + message.dropFirst(),
        hint: "see 'mfactl \(commandPath(arguments).map { $0 + " " }.joined())--help'")
      Glibc.exit(Exit.usage)
    }
  }
}

import Accounts
import ArgumentParser
import CProcess
import Vault

#if canImport(Glibc)
  import Glibc
#endif

@main
struct MFACtl: ParsableCommand {
  static let version = "0.1.0"
  /// What `--version` prints. The fast path prints it without building `configuration`,
  /// whose command list costs about 34,000 instructions and 23 page faults.
  static let versionLine = "mfactl \(version) (vault format \(VaultFormat.version))"

  static let configuration = CommandConfiguration(
    commandName: "mfactl",
    abstract: "Keep the second-factor state of user accounts in an encrypted vault.",
    discussion: """
      Exit status: 0 success, 1 rejected, 2 locked out, 64 usage, 65 bad or corrupt data, \
      66 not found, 67 no such user, 69 unavailable (PostgreSQL, libqrencode), 73 cannot create, \
      74 I/O error, 75 vault busy, 77 unlock failed.
      """,
    version: versionLine,
    subcommands: [
      Init.self, Enrol.self, Verify.self, Code.self, RecoveryCodesGroup.self, DevicesGroup.self, SessionsGroup.self,
      ChallengeGroup.self, Users.self, AuditGroup.self, Status.self, VaultGroup.self,
      BackupGroup.self,
    ])

  /// The subcommand names at the start of `arguments` that name real commands, so a
  /// usage hint points at help that exists. An alias (`enroll`) stands for its command's
  /// name, so the check-command rules below apply to it too.
  static func commandPath(_ arguments: [String]) -> [String] {
    var command: ParsableCommand.Type = MFACtl.self
    var path: [String] = []
    for a in arguments where !a.hasPrefix("-") {
      guard
        let sub = command.configuration.subcommands.first(where: {
          $0._commandName == a || $0.configuration.aliases.contains(a)
        })
      else { break }
      path.append(sub._commandName)
      command = sub
    }
    return path
  }

  /// The commands whose exit 0 means "this code or token was checked and accepted"
  /// (ARCHITECTURE.md, Rules, "Fail closed"): nothing but a real check may make them exit
  /// 0, so help, `--version` and every other built-in flag given to them exit 64.
  static func isCheckCommand(_ arguments: [String]) -> Bool {
    switch commandPath(arguments) {
    case ["verify"], ["sessions", "check"], ["devices", "check"], ["recovery-codes", "use"], ["users", "resync"]:
      return true
    case ["enrol"]:
      return arguments.contains { $0 == "--confirm" || $0.hasPrefix("--confirm=") }
    default:
      return false
    }
  }

  /// Arguments that ask for help or the version instead of the command.
  static func isBuiltInFlag(_ a: String) -> Bool {
    a == "-h" || a == "--help" || a == "-help" || a == "--help-hidden" || a == "--version"
      || a == "--experimental-dump-help" || a.hasPrefix("--help=") || a.hasPrefix("--version=")
  }

  /// The command type at `path`, for its help text.
  static func commandType(_ path: [String]) -> ParsableCommand.Type {
    var command: ParsableCommand.Type = MFACtl.self
    for name in path {
      guard let sub = command.configuration.subcommands.first(where: { $0._commandName == name }) else { break }
      command = sub
    }
    return command
  }

  /// Prints the help of the command at the start of `arguments` on stderr and exits 64:
  /// a usage error, whatever the help says.
  static func usageHelp(_ arguments: [String], reason: String) -> Never {
    let path = commandPath(arguments)
    Terminal.stderr(helpMessage(for: commandType(path)) + "\n")
    Report.error(reason, hint: "for help that exits 0: mfactl help \(path.joined(separator: " "))")
    flushAndExit(Exit.usage)
  }

  /// Flushes stdout and exits; output that could not be written is an I/O error (74),
  /// so a full disk or a closed pipe never looks like success.
  /// A command that already failed keeps its exit code (and its one error line).
  static func flushAndExit(_ code: Int32) -> Never {
    if fflush(stdout) != 0 || ferror(stdout) != 0 {
      guard code == Exit.ok else { Glibc.exit(code) }
      let reason = String(cString: strerror(errno))
      fputs("mfactl: error: cannot write to standard output: \(reason)\n", stderr)
      Glibc.exit(Exit.ioError)
    }
    Glibc.exit(code)
  }

  /// Parses and runs, reporting ArgumentParser's own errors in mfactl's voice with the
  /// usage exit code (64); help and --version print as usual, with 0, except on a check
  /// command or when no subcommand was named (64).
  static func main() {
    // Before any secret is in memory: no core file and no ptrace by other users.
    _ = mfactl_forbid_core_dumps()
    // A closed pipe is an output error (74), never death by a signal.
    signal(SIGPIPE, SIG_IGN)
    guard let arguments = StartArguments.read() else {
      fputs("mfactl: error: cannot read the command line arguments\n", stderr)
      Glibc.exit(Exit.usage)
    }
    if arguments.isEmpty {
      Terminal.stderr(helpMessage(for: MFACtl.self) + "\n")
      Report.error("no command given", hint: "see 'mfactl help'")
      flushAndExit(Exit.usage)
    }
    if let bad = Clock.invalidOverride() {
      Report.error("MFACTL_NOW must be Unix seconds (an integer from 0 to \(Clock.maxOverride)), not '\(bad)'")
      Glibc.exit(Exit.usage)
    }
    // The flag test comes first: `isCheckCommand` walks ArgumentParser's command tree,
    // whose `_commandName` reflects on type names (3.8M instructions, 70% of a verify,
    // measured with callgrind), so a plain login never pays for it. Whatever slips past
    // here (`-qh`) comes back from ArgumentParser as help and is checked again below.
    if arguments.contains(where: isBuiltInFlag), isCheckCommand(arguments) {
      usageHelp(arguments, reason: "a check command takes no help or version flag; nothing was checked")
    }
    do {
      if try FastPath.run(arguments) {
        // done
      } else {
        var command = try parseAsRoot(arguments)
        try command.run()
      }
      flushAndExit(Exit.ok)
    } catch let code as ExitCode {
      flushAndExit(code.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // Help, --version and the like: 0 only when asked for outside a check command.
        if isCheckCommand(arguments) {
          usageHelp(arguments, reason: "a check command takes no help or version flag; nothing was checked")
        }
        let asked =
          arguments.first == "help" || arguments.first == "---completion"
          || arguments.contains { isBuiltInFlag($0) || $0.hasPrefix("--generate-completion-script") }
        if !asked {
          usageHelp(arguments, reason: "'mfactl \(commandPath(arguments).joined(separator: " "))' needs a subcommand")
        }
        let text = fullMessage(for: error)
        if !text.isEmpty { Terminal.stdout(text + "\n") }
        flushAndExit(Exit.ok)
      }
      let message = self.message(for: error)
      Report.error(
        message.prefix(1).lowercased() + message.dropFirst(),
        hint: "see 'mfactl \(commandPath(arguments).map { $0 + " " }.joined())--help'")
      flushAndExit(Exit.usage)
    }
  }
}

/// The command line as the process got it (CProcess captures it before Swift runs), so
/// a missing /proc cannot turn `mfactl verify alice CODE` into `mfactl`.
enum StartArguments {
  /// The arguments after the program name; nil when they cannot be read at all.
  static func read() -> [String]? {
    let argc = Int(mfactl_start_argc())
    if argc >= 1 {
      return (1..<argc).map { i in mfactl_start_argv(Int32(i)).map { String(cString: $0) } ?? "" }
    }
    // Not captured (not glibc?): the runtime's copy, unless that is empty too.
    let fallback = CommandLine.arguments
    return fallback.isEmpty ? nil : Array(fallback.dropFirst())
  }
}

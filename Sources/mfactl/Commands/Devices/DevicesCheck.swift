import Accounts
import ArgumentParser

struct DevicesCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a device token: exit 0 if it is a live trusted device of the user, else 1.",
    discussion: "TOKEN is read from stdin when absent or '-'. A successful check is not audited; it refreshes the device's last use, writing the vault at most once a minute per device.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Argument(help: "The device token (default: read from stdin).") var token: String?
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting { try Self.execute(Context(options: options), user: user, token: token) }
  }

  /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
  static func execute(_ ctx: Context, user: String, token: String?) throws {
    let options = ctx.options
    do {
      let input = try Terminal.secretArgument(token, prompt: "Device token", echo: false).trimmingSpaces
      // A read (shared lock); TokenChecks writes only to refresh the last use (at most
      // once a minute) or to audit a rejection.
      let store = try ctx.openStore(write: false, stdinFree: token != nil && token != "-")
      let (u, found) = try TokenChecks.device(input, user: user, in: store)
      guard let d = found else {
        Terminal.stderr("mfactl: device token rejected for \(u.name)\n")
        throw ExitCode(Exit.rejected)
      }
      if options.json { ctx.printer.json(.object(ObjectJSON.device(d, user: u.name))) } else { ctx.printer.line("ok: device \(d.id) (\(d.name))") }
    }
  }
}

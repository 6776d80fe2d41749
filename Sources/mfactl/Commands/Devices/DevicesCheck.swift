import Accounts
import ArgumentParser

struct DevicesCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a device token: exit 0 if it is a live trusted device of the user, else 1.",
    discussion:
      "TOKEN is read from stdin when absent or '-'. A successful check is not audited; it refreshes the device's last use, writing the vault at most once a minute per device."
  )
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Argument(help: "The device token (default: read from stdin).") var token: String?
  /// A call that passed every rule; made only by `input`, the same for ArgumentParser
  /// (`validate`, `run`) and the fast path.
  struct Input: Equatable {
    var settings: Settings
    var user: String
    var token: String?
  }

  static func input(user: String, token: String?, settings: Settings) throws -> Input {
    try checkUserName(user)
    try settings.validate()
    return Input(settings: settings, user: user, token: token)
  }

  func validate() throws { _ = try Self.input(user: user, token: token, settings: options.settings) }

  func run() throws {
    try reporting { try Self.execute(Self.input(user: user, token: token, settings: options.settings)) }
  }

  /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
  static func execute(_ call: Input) throws {
    let ctx = Context(settings: call.settings)
    let (user, token) = (call.user, call.token)
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
      if options.json {
        ctx.printer.json(.object(ObjectJSON.device(d, user: u.name)))
      } else {
        ctx.printer.line("ok: device \(d.id) (\(d.name))")
      }
    }
  }
}

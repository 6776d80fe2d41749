import Accounts
import ArgumentParser

struct DevicesCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a device token: exit 0 if it is a live trusted device of the user, else 1.",
    discussion: "TOKEN is read from stdin when absent or '-'. A successful check refreshes the device's last use.")
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
      let store = try ctx.openStore(write: true, stdinFree: token != nil && token != "-")
      var u = try store.user(user)
      let found = u.disabled || !Token.isWellFormed(input, .device)
        ? nil : Devices.check(&u, tokenHash: Token.hash(input, key: try store.tokenKey()), now: store.now)
      guard let d = found else {
        store.record(AccountEvent("device.rejected", user: u, outcome: .failure))
        try store.commit()
        Terminal.stderr("mfactl: device token rejected for \(u.name)\n")
        throw ExitCode(Exit.rejected)
      }
      try store.save(u, event: AccountEvent("device.checked", user: u, detail: ["device": d.id]))
      try store.commit()
      if options.json { ctx.printer.json(.object(ObjectJSON.device(d, user: u.name))) } else { ctx.printer.line("ok: device \(d.id) (\(d.name))") }
    }
  }
}

import Accounts
import ArgumentParser

struct DevicesTrust: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trust",
    abstract: "Trust a device: prints a device token once (mfad_...).",
    discussion:
      "At most 10 per user: the oldest is evicted. Default lifetime 30 days. The token is stored only as a keyed hash.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Option(help: "A name for the device (shown in lists).") var name: String
  @Option(help: "Lifetime: 90s, 30m, 24h, 30d (default 30d).") var ttl: String?

  func validate() throws {
    try checkUserName(user)
    _ = try parseDuration(ttl, option: "--ttl")
    do { try Devices.validateName(name) } catch let e as AccountsError { throw ValidationError(e.description) }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let request = DeviceRequest(name: name, ttl: try parseDuration(ttl, option: "--ttl"))
      let store = try ctx.openStore(write: true)
      // The token is shown (and flushed) before the commit: a token nobody could read
      // is never stored (ARCHITECTURE.md, Rules, "Fail closed").
      _ = try TrustDevice.run(store, TrustDevice.Input(user: user, device: request)) { r in
        let trusted = r.trusted
        try printToken(
          ctx, token: trusted.token,
          description:
            "trusted device \(trusted.device.id) (\(name)) for \(r.user.name) until \(Time.rfc3339(trusted.device.expiresAt)); the token is shown only now:",
          json: ObjectJSON.device(trusted.device, user: r.user.name))
      }
    }
  }
}

import Accounts
import ArgumentParser

struct DevicesTrust: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trust",
    abstract: "Trust a device: prints a device token once (mfad_...).",
    discussion: "At most 10 per user: the oldest is evicted. Default lifetime 30 days. The token is stored only as a keyed hash.")
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
      let store = try ctx.openStore(write: true)
      var u = try store.user(user)
      if u.disabled { throw CLIError("\(u.name) is disabled", code: Exit.rejected, hint: "mfactl users enable \(u.name)") }
      let trusted = try trustDevice(store, &u, name: name, ttl: try parseDuration(ttl, option: "--ttl"))
      try store.save(u, event: AccountEvent("device.trusted", user: u, detail: ["device": trusted.device.id, "name": name]))
      // The token is shown (and flushed) before the commit: a token nobody could read
      // is never stored (SPEC "Fail closed").
      printToken(
        ctx, token: trusted.token,
        description: "trusted device \(trusted.device.id) (\(name)) for \(u.name) until \(Time.rfc3339(trusted.device.expiresAt)); the token is shown only now:",
        json: ObjectJSON.device(trusted.device, user: u.name))
      try ctx.printer.flush()
      try store.commit()
    }
  }
}

/// Trusts a device for `user` and records evictions (shared by `devices trust` and
/// `verify --trust-device`).
func trustDevice(_ store: AccountStore, _ u: inout User, name: String, ttl: Int64?) throws
  -> (token: String, device: TrustedDevice)
{
  let r = try Devices.trust(
    &u, name: name, key: try store.tokenKey(), now: store.now, ttl: ttl, ip: store.actor.ip,
    userAgent: store.actor.userAgent)
  for d in r.evicted {
    store.record(AccountEvent("device.evicted", user: u, detail: ["device": d.id, "reason": "more than \(Devices.maxPerUser) devices"]))
  }
  return (r.token, r.device)
}

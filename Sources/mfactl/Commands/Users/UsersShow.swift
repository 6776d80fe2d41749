import Accounts
import ArgumentParser

struct UsersShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show a user and their authenticators (never secrets).")

  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String

  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let u = try store.user(user)
      let now = store.now
      if options.json {
        ctx.printer.json(.object(ObjectJSON.user(u, now: now)))
        return
      }
      let p = ctx.printer
      p.line("user:      \(u.name) (id \(u.id))")
      p.line("state:     \(stateWord(u, now: now))")
      p.line("created:   \(Time.rfc3339(u.createdAt))")
      if let t = u.lastSuccessAt { p.line("last ok:   \(Time.rfc3339(t))") }
      let policy = try UserPolicy.load(u)
      p.line("policy:    require-mfa \(policy.requireMFA ? "on" : "off"), role \(policy.role ?? "none")")
      p.line("recovery:  \(Wording.count(try RecoveryCodes.remaining(u), "code")) left")
      p.line("devices:   \(try Devices.load(u).filter { $0.isLive(at: now) }.count) trusted")
      p.line("sessions:  \(try Sessions.load(u).filter { $0.isLive(at: now) }.count) live")
      p.line("failures:  \(u.failures)\(u.isLocked(at: now) ? ", locked until \(Time.rfc3339(u.lockedUntil!))" : "")")
      for a in u.authenticators {
        var desc =
          "\(a.id)  \(a.isActive ? "active " : "pending") \(a.type.rawValue.uppercased()) \(a.algorithm.rawValue) \(a.digits) digits"
        if a.type == .totp {
          desc += ", \(a.period) s, drift \(Wording.count(Int(a.drift), "step"))"
        } else {
          desc += ", next counter \(a.counter)"
        }
        if let i = a.issuer { desc += ", issuer \(i)" }
        if let l = a.label { desc += ", label \(l)" }
        if let t = a.lastUsedAt { desc += ", last used \(Time.rfc3339(t))" }
        p.line("  " + desc)
      }
    }
  }
}

import Accounts
import ArgumentParser

struct DevicesList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List live trusted devices (ids and details, never tokens).")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "Only this user's devices.", completion: .userNames) var user: String?
  func validate() throws { if let u = user { try checkUserName(u) } }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let users = try user.map { [try store.user($0)] } ?? store.allUsers()
      var rows: [(String, TrustedDevice)] = []
      for u in users { for d in try Devices.load(u) where d.isLive(at: store.now) { rows.append((u.name, d)) } }
      if options.json {
        for (name, d) in rows { ctx.printer.json(.object(ObjectJSON.device(d, user: name))) }
      } else if rows.isEmpty {
        ctx.printer.line("no trusted devices")
      } else {
        for (name, d) in rows {
          ctx.printer.line(
            "\(d.id)  \(name)  \(d.name)  expires \(Time.rfc3339(d.expiresAt))\(d.lastUsedAt.map { "  last used \(Time.rfc3339($0))" } ?? "")"
          )
        }
      }
    }
  }
}

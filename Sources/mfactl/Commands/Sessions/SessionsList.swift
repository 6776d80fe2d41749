import Accounts
import ArgumentParser

struct SessionsList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List live sessions (ids and details, never tokens).")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "Only this user's sessions.", completion: .userNames) var user: String?
  func validate() throws { if let u = user { try checkUserName(u) } }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let users = try user.map { [try store.user($0)] } ?? store.allUsers()
      var rows: [(String, Session)] = []
      for u in users { for s in try Sessions.load(u) where s.isLive(at: store.now) { rows.append((u.name, s)) } }
      if options.json {
        for (name, s) in rows { ctx.printer.json(.object(ObjectJSON.session(s, user: name))) }
      } else if rows.isEmpty {
        ctx.printer.line("no live sessions")
      } else {
        for (name, s) in rows {
          ctx.printer.line(
            "\(s.id)  \(name)  created \(Time.rfc3339(s.createdAt))  expires \(Time.rfc3339(s.expiresAt))\(s.ip.map { "  from \($0)" } ?? "")"
          )
        }
      }
    }
  }
}

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
      try printLiveItems(
        Context(options: options), user: user, empty: "no live sessions",
        items: { u, now in try Sessions.load(u).filter { $0.isLive(at: now) } },
        json: { s, name in ObjectJSON.session(s, user: name) },
        text: { s, name in
          "\(s.id)  \(name)  created \(Time.rfc3339(s.createdAt))  expires \(Time.rfc3339(s.expiresAt))\(s.ip.map { "  from \($0)" } ?? "")"
        })
    }
  }
}

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
      try printLiveItems(
        Context(options: options), user: user, empty: "no trusted devices",
        items: { u, now in try Devices.load(u).filter { $0.isLive(at: now) } },
        json: { d, name in ObjectJSON.device(d, user: name) },
        text: { d, name in
          "\(d.id)  \(name)  \(d.name)  expires \(Time.rfc3339(d.expiresAt))\(d.lastUsedAt.map { "  last used \(Time.rfc3339($0))" } ?? "")"
        })
    }
  }
}

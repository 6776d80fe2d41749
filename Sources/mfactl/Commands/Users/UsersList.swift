import Accounts
import ArgumentParser

struct UsersList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List users (JSON: one object per line).")

  @OptionGroup var options: GlobalOptions
  @Option(help: ArgumentHelp("Only users with this role.", valueName: "name")) var role: String?

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let users = try store.allUsers().filter { u in
        role == nil || (try? UserPolicy.load(u))?.role == role
      }
      let now = store.now
      if options.json {
        for u in users { ctx.printer.json(.object(ObjectJSON.user(u, now: now))) }
        return
      }
      if users.isEmpty {
        ctx.printer.line("no users")
        return
      }
      let width = max(4, users.map { $0.name.count }.max() ?? 4)
      func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
      if !options.common.quiet { ctx.printer.line("\(pad("USER", width))  STATE     AUTHS  FAILURES  ROLE") }
      for u in users {
        if options.common.quiet {
          ctx.printer.essential(u.name)
        } else {
          ctx.printer.line(
            "\(pad(u.name, width))  \(pad(stateWord(u, now: now), 8))  \(pad(String(u.authenticators.count), 5))  \(pad(String(u.failures), 8))  \((try? UserPolicy.load(u))?.role ?? "-")"
          )
        }
      }
    }
  }
}

import Accounts
import ArgumentParser

struct UsersEnable: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try ChangeUser.run(try ctx.openStore(write: true), ChangeUser.Input(user: user, change: .enable)).user
      if options.json {
        ctx.printer.json(.object([("user", .string(u.name)), ("disabled", .bool(false))]))
      } else {
        ctx.printer.line("\(u.name) is enabled")
      }
    }
  }
}

import Accounts
import ArgumentParser

struct UsersDisable: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable a user: every verify is rejected until enabled.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try runUserChange(options, user: user, .disable, json: ("disabled", .bool(true)), text: "is disabled")
  }
}

import Accounts
import ArgumentParser

struct UsersEnable: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try runUserChange(options, user: user, .enable, json: ("disabled", .bool(false)), text: "is enabled")
  }
}

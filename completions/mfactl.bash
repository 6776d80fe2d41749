#!/bin/bash

__mfactl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__mfactl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__mfactl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__mfactl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_mfactl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|enrol|verify|code|recovery-codes|devices|sessions|challenge|users|audit|status|vault|backup|help)
        # Offer subcommand argument completions
        "_mfactl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init enrol verify code recovery-codes devices sessions challenge users audit status vault backup help' -- "${cur}"))
        ;;
    esac
}

_mfactl_init() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --no-passphrase --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --kdf --generate-key-file)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--kdf')
        __mfactl_add_completions -W 'interactive'$'\n''moderate'$'\n''sensitive'
        return
        ;;
    '--generate-key-file')
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_enrol() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --confirm --activate --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --type --algorithm --digits --period --issuer --label --qr --qr-png --qr-svg --qr-scale --secret --uri --id)
    __mfactl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--type')
        __mfactl_add_completions -W 'totp'$'\n''hotp'
        return
        ;;
    '--algorithm')
        __mfactl_add_completions -W 'SHA1'$'\n''SHA256'$'\n''SHA512'
        return
        ;;
    '--digits')
        return
        ;;
    '--period')
        return
        ;;
    '--issuer')
        return
        ;;
    '--label')
        return
        ;;
    '--qr')
        __mfactl_add_completions -W 'utf8'$'\n''ansi'$'\n''none'
        return
        ;;
    '--qr-png')
        __mfactl_add_completions -o plusdirs -fX '!*.@(png)'
        return
        ;;
    '--qr-svg')
        __mfactl_add_completions -o plusdirs -fX '!*.@(svg)'
        return
        ;;
    '--qr-scale')
        return
        ;;
    '--secret')
        return
        ;;
    '--uri')
        return
        ;;
    '--id')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_verify() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --allow-recovery --session --remember --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --window --ttl --idle --trust-device --device-ttl)
    __mfactl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--window')
        return
        ;;
    '--ttl')
        return
        ;;
    '--idle')
        return
        ;;
    '--trust-device')
        return
        ;;
    '--device-ttl')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_code() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --secret --uri --algorithm --digits --period --counter --id)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--secret')
        return
        ;;
    '--uri')
        return
        ;;
    '--algorithm')
        __mfactl_add_completions -W 'SHA1'$'\n''SHA256'$'\n''SHA512'
        return
        ;;
    '--digits')
        return
        ;;
    '--period')
        return
        ;;
    '--counter')
        return
        ;;
    '--id')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_recovery-codes() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    generate|status|use)
        # Offer subcommand argument completions
        "_mfactl_recovery-codes_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'generate status use' -- "${cur}"))
        ;;
    esac
}

_mfactl_recovery-codes_generate() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --count --output)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--count')
        return
        ;;
    '--output')
        __mfactl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_recovery-codes_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_recovery-codes_use() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_devices() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    trust|check|list|revoke)
        # Offer subcommand argument completions
        "_mfactl_devices_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'trust check list revoke' -- "${cur}"))
        ;;
    esac
}

_mfactl_devices_trust() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --name --ttl)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--name')
        return
        ;;
    '--ttl')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_devices_check() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_devices_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_devices_revoke() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --all --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_sessions() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|check|list|revoke)
        # Offer subcommand argument completions
        "_mfactl_sessions_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create check list revoke' -- "${cur}"))
        ;;
    esac
}

_mfactl_sessions_create() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --remember --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --ttl --idle)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--ttl')
        return
        ;;
    '--idle')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_sessions_check() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_mfactl_sessions_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_sessions_revoke() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --all --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --user)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--user')
        return
        ;;
    esac
}

_mfactl_challenge() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    send)
        # Offer subcommand argument completions
        "_mfactl_challenge_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'send' -- "${cur}"))
        ;;
    esac
}

_mfactl_challenge_send() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --deliver --ttl)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--deliver')
        return
        ;;
    '--ttl')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|disable|enable|unlock|remove|resync|diagnose|import|set|export|export-uri|erase)
        # Offer subcommand argument completions
        "_mfactl_users_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show disable enable unlock remove resync diagnose import set export export-uri erase' -- "${cur}"))
        ;;
    esac
}

_mfactl_users_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --role)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--role')
        return
        ;;
    esac
}

_mfactl_users_show() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_disable() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_enable() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_unlock() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_remove() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --authenticator)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--authenticator')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_resync() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --authenticator)
    __mfactl_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--authenticator')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_diagnose() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_import() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    uris|google-authenticator)
        # Offer subcommand argument completions
        "_mfactl_users_import_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'uris google-authenticator' -- "${cur}"))
        ;;
    esac
}

_mfactl_users_import_uris() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_users_import_google-authenticator() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --user --issuer)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--user')
        return
        ;;
    '--issuer')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_users_set() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --require-mfa --no-require-mfa --no-role --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --role)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--role')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_export() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_users_export-uri() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --yes --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --id)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--id')
        return
        ;;
    esac
}

_mfactl_users_erase() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -W "$(eval 'mfactl users list --quiet </dev/null 2>/dev/null')"
        return
        ;;
    esac
}

_mfactl_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|verify|export|prune|reset)
        # Offer subcommand argument completions
        "_mfactl_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list verify export prune reset' -- "${cur}"))
        ;;
    esac
}

_mfactl_audit_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --failures --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --user --event --since --until --limit)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--user')
        return
        ;;
    '--event')
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mfactl_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_mfactl_audit_export() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --failures --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --user --event --since --until --output)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'jsonl'$'\n''csv'
        return
        ;;
    '--user')
        return
        ;;
    '--event')
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    '--output')
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_audit_prune() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --before)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--before')
        return
        ;;
    esac
}

_mfactl_audit_reset() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_mfactl_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --check --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --max-backup-age)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'$'\n''prometheus'
        return
        ;;
    '--max-backup-age')
        return
        ;;
    esac
}

_mfactl_vault() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    info|passwd|add-key-file|remove-key-file|rekey|check)
        # Offer subcommand argument completions
        "_mfactl_vault_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'info passwd add-key-file remove-key-file rekey check' -- "${cur}"))
        ;;
    esac
}

_mfactl_vault_info() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_mfactl_vault_passwd() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --new-passphrase-file --kdf)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--new-passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--kdf')
        __mfactl_add_completions -W 'interactive'$'\n''moderate'$'\n''sensitive'
        return
        ;;
    esac
}

_mfactl_vault_add-key-file() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_vault_remove-key-file() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_vault_rekey() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --drop-other-slots --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --also-key-file --also-passphrase-file --kdf)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--also-key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--also-passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--kdf')
        __mfactl_add_completions -W 'interactive'$'\n''moderate'$'\n''sensitive'
        return
        ;;
    esac
}

_mfactl_vault_check() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_mfactl_backup() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|verify|restore|list)
        # Offer subcommand argument completions
        "_mfactl_backup_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create verify restore list' -- "${cur}"))
        ;;
    esac
}

_mfactl_backup_create() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format --dir --keep --backup-passphrase-file --kdf)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--dir')
        __mfactl_add_completions -d
        return
        ;;
    '--keep')
        return
        ;;
    '--backup-passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--kdf')
        __mfactl_add_completions -W 'interactive'$'\n''moderate'$'\n''sensitive'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -f
        return
        ;;
    esac
}

_mfactl_backup_verify() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -o plusdirs -fX '!*.@(mfab)'
        return
        ;;
    esac
}

_mfactl_backup_restore() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -o plusdirs -fX '!*.@(mfab)'
        return
        ;;
    esac
}

_mfactl_backup_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet --syslog --version -h --help)
    repeating_options=()
    non_repeating_options=(--vault --key-file --passphrase-file --actor --ip --user-agent --format)
    __mfactl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--vault')
        __mfactl_add_completions -f
        return
        ;;
    '--key-file')
        __mfactl_add_completions -f
        return
        ;;
    '--passphrase-file')
        __mfactl_add_completions -f
        return
        ;;
    '--actor')
        return
        ;;
    '--ip')
        return
        ;;
    '--user-agent')
        return
        ;;
    '--format')
        __mfactl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mfactl_add_completions -d
        return
        ;;
    esac
}

_mfactl_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __mfactl_offer_flags_options -1
}

complete -o filenames -F _mfactl mfactl

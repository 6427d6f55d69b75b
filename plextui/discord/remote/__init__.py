"""The remote-command front end: commands from Discord, through one gate, to the Controller.

Two intakes, `interactions` (the signed HTTP endpoint: slash commands read by `slash`,
card buttons, autocomplete; `replay` refuses a request seen before) and `channel` (the
companion channel's poller, exactly once through `journal` and `recovery`), both take
each command through `gate`: `authorizer` (allowlists, rate) → `audit` → `queue` (merge
windows for seeks and volume) → the Controller → `replies`. `inbox` starts them for
`plextui relay` and the demo; `register` installs the `/plex` command. The REST client
they talk through is `plextui.discord.rest`, beside this package.
"""

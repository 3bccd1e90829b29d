"""`mentorbot check`: what is wrong with the setup, each problem with its fix."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config.env import Settings
from .errors import AuthError, ConfigError, PlatformError

__all__ = ["CheckReport", "run_checks"]

OK, BAD = "ok ", "ERR"


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    def good(self, text: str) -> None:
        self.lines.append(f"[{OK}] {text}")

    def bad(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"[{BAD}] {text}")

    @property
    def ok(self) -> bool:
        return self.problems == 0

    @property
    def summary(self) -> str:
        if self.ok:
            return "All checks passed."
        return f"{self.problems} problem(s) found; fix them and run `mentorbot check` again."


def run_checks(settings: Settings, campaign_files: list[Path], *, call_platform: bool = True) -> CheckReport:
    from .config.campaign import load_campaign
    from .config.vocabulary import load_vocabulary

    report = CheckReport()
    try:
        vocabulary = load_vocabulary()
        report.good(f"vocabulary: {len(vocabulary.stages)} stages, {len(vocabulary.specialties)} specialties")
    except ConfigError as exc:
        report.bad(str(exc))
        return report

    handles: dict[str, str] = {}
    if not campaign_files:
        report.bad("no campaign files found. Fix: create one under config/campaigns/ "
                   "(copy config/campaigns/medmentormatch.toml) or pass --campaign FILE")
    for path in campaign_files:
        try:
            campaign = load_campaign(path, vocabulary)
        except ConfigError as exc:
            report.bad(str(exc))
            continue
        handles[str(path)] = campaign.bot_handle
        report.good(f"{path}: campaign '{campaign.id}' for @{campaign.bot_handle}, "
                    f"hashtags {' '.join('#' + h for h in campaign.hashtags)}")

    if not call_platform:
        return report
    missing = settings.credentials.missing()
    if missing:
        report.bad(f"missing settings: {', '.join(missing)}. Fix: set them in the environment or in .env "
                   "(copy .env.example); for a local try, run `mentorbot sandbox serve` and paste its lines")
        return report
    report.good(f"credentials: all five set ({settings.source})"
                + (f"; API base URL {settings.api_base_url}" if settings.api_base_url else ""))

    from .bootstrap import build_platform

    try:
        me = build_platform(settings).me()
    except AuthError as exc:
        report.bad(f"X refused the credentials: {exc}")
        return report
    except PlatformError as exc:
        report.bad(f"could not reach X ({exc}). Fix: check the network, or X_API_BASE_URL if you use a sandbox")
        return report
    report.good(f"bot account: @{me.username} (id {me.id})")
    for path, handle in handles.items():
        if handle.lower() != me.username.lower():
            report.bad(f"{path}: campaign.bot_handle is @{handle} but the credentials belong to @{me.username}. "
                       f"Fix: set bot_handle = \"{me.username}\" or use that account's tokens")
    return report

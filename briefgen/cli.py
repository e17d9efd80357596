"""Command line → pipeline calls; BriefgenError → one line per problem on stderr, exit 1."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import traceback
from pathlib import Path

from . import __version__, pipeline
from .errors import BriefgenError, ConfigError, DeliveryError, Problem


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except BriefgenError as exc:
        if args.debug:
            traceback.print_exc()
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        if args.command in ("build", "send", "weekly") and not isinstance(exc, DeliveryError):
            print(f"note: the build failed; earlier outputs in {args.out} are unchanged", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except OSError as exc:
        from .effects import NO_SPACE

        if exc.errno not in NO_SPACE or args.debug:
            raise
        print(f"error: the disk is full ({exc.strerror or exc}): free some space and try again", file=sys.stderr)
        return 1


def _build(args) -> int:
    formats = _formats(args.format)
    from .progress import for_terminal

    result = pipeline.build(args.config, args.out, formats, week=args.week, since=args.since,
                            until=args.until, audience=args.audience, progress=for_terminal(args.quiet))
    for warning in dict.fromkeys(w for brief in result.briefs for w in brief.warnings):
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.written if not args.quiet else ():
        print(f"{'up to date' if result.cached else 'wrote'} {path} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


def _validate(args) -> int:
    cfg, corpus = pipeline.validate(args.config)
    for line in [*corpus.skipped, *pipeline.review(cfg, corpus)]:
        print(f"warning: {line}", file=sys.stderr)
    print(f"{args.config}: OK ({len(corpus.articles)} sources, {len(cfg.sections)} sections, "
          f"{len(cfg.claims)} claims)")
    return 0


def _sources(args) -> int:
    cfg, corpus = pipeline.validate(args.config)
    if args.json:
        from .render.json import source_json

        print(json.dumps([source_json(a, text=True) for a in corpus.articles] +
                         [{"skipped": line} for line in corpus.skipped], ensure_ascii=False, indent=2))
        return 0
    rows = [("ID", "FORMAT", "DATE", "WORDS", "OUTLET", "TITLE")]
    for a in corpus.articles:
        rows.append((a.id, a.format, a.published.isoformat() if a.published else "undated",
                     str(len(a.text.split())), a.outlet or "-", a.title))  # whole names: nothing cut
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[5])
    for a in corpus.articles:
        extra = [f"also published by {c.outlet or c.title} [{c.id}]" for c in a.also] + list(a.warnings)
        for line in extra:
            print(f"  {a.id}: {line}")
    for line in corpus.skipped:
        print(f"warning: {line}", file=sys.stderr)
    _track_record(cfg, corpus, Path(args.out))
    return 0


def _track_record(cfg, corpus, out: Path) -> None:
    """Each outlet's record on claims in the stored editions, and the grade it suggests."""
    from collections import Counter

    from .compose import track
    from .compose.brief import slugify
    from .compose.history import History

    series = History(out).series(cfg.brief.slug or slugify(cfg.brief.title))
    found = track.records(series)
    if not found:
        return
    grades: dict[str, Counter] = {}
    for a in corpus.articles:
        grades.setdefault(a.outlet or a.id, Counter())[a.reliability] += 1
    print(f"\nTrack record on claims, from {len(series)} stored edition{'s' if len(series) != 1 else ''} in {out}:")
    rows = [("OUTLET", "GRADED", "UPHELD", "REFUTED", "OPEN", "SUGGESTS")]
    for r in found:
        graded = grades[r.outlet].most_common(1)[0][0] if r.outlet in grades else "F"
        hint = track.suggest(graded, r) or f"- (fewer than {track.MIN_SETTLED} settled)"
        rows.append((r.outlet, graded, str(r.upheld), str(r.refuted), str(r.open), hint))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[5])


def _claims(args) -> int:
    from .render.json import claim_json

    cfg, corpus, found = pipeline.assess(args.config)
    if args.json:
        print(json.dumps([claim_json(c) for c in found], ensure_ascii=False, indent=2))
        return 0
    numbers = range(1, len(corpus.articles) + 1)
    mark = {"asserts": "A", "disputes": "D", "reports": "R"}
    print(f"{'CLAIM':<52} " + " ".join(f"{n:<2}" for n in numbers) + "  STATUS")
    for c in found:
        by = {st.number: st for st in c.stances}
        cells = [(mark[by[n].stance] + ("!" if by[n].contradicts and by[n].stance == "reports" else " "))
                 if n in by else ". " for n in numbers]
        label = (c.statement if len(c.statement) <= 50 else c.statement[:49] + "…")
        print(f"{label:<52} " + " ".join(cells) + f"  {c.status} ({c.credibility})")
    print("\nA asserts, D disputes, R reports (R! reports the opposite), . silent; credibility 1-6.")
    for a, n in zip(corpus.articles, numbers):
        print(f"{n:>3}  {a.id}: {a.title[:70]}")
    return 0


def _send(args) -> int:
    from . import weekly

    if args.retry and args.dry_run:
        _usage("--retry sends what waits in the outbox; it has no --dry-run")
    if args.force and not args.retry:
        _usage("--force goes with --retry: it sends again what may have been delivered")
    if args.retry:
        run = weekly.retry(args.config, args.out, outbox=args.outbox, force=args.force)
        if not run.queued and not run.problems:
            print("the outbox is empty: nothing to send")
            return 0
    else:
        run = weekly.send(args.config, args.out, week=args.week, since=args.since, until=args.until,
                          dry_run=args.dry_run, outbox=args.outbox, audience=args.audience)
        for path in run.queued:
            print(f"{'wrote' if args.dry_run else 'queued'} {path}")
        for name in run.already:
            print(f"already sent: {name} (every recipient has it)")
    for problem in run.problems:
        print(f"error: {problem}", file=sys.stderr)
    if args.dry_run:
        print("dry run: nothing sent")
    elif run.problems and run.sent:
        print(f"sent to {run.sent} recipient(s); the rest waits in the outbox (see the errors above)")
    elif run.problems:
        print("nothing sent: the messages wait in the outbox (see the errors above)")
    elif run.sent:
        print("sent: every recipient has the brief")
    else:
        print("nothing sent: every recipient already has the brief")
    return 1 if run.problems else 0


def _weekly(args) -> int:
    args.since = args.until = args.audience = None
    args.retry = args.force = False
    return _send(args)


def _init(args) -> int:
    from . import project

    for path in project.init(args.folder):
        print(f"created {path}")
    print(f"next: cd {args.folder} && {_this_command(Path(args.folder))} build")
    return 0


def _this_command(folder: Path) -> str:
    """How to run briefgen again from `folder`: the program the user ran (often .venv/bin/briefgen,
    which is not on the PATH), or this Python with -m briefgen."""
    import os
    import shlex

    program = Path(sys.argv[0])
    if program.name == "briefgen" and program.is_file():
        return shlex.quote(os.path.relpath(program.resolve(), folder.resolve()))
    return f"{shlex.quote(sys.executable)} -m briefgen"


def _templates(args) -> int:
    from . import project

    if args.action == "list":
        for name, about in project.listing():
            print(f"{name:<16} {about}")
        return 0
    if not args.name:
        _usage("templates eject needs a template NAME (see 'briefgen templates list')")
    if args.audience:
        from . import config

        known = [a.id for a in config.load(args.config).audiences]
        if args.audience not in known:
            hint = difflib.get_close_matches(args.audience, known, n=1)
            raise ConfigError(Problem(f"no audience '{args.audience}' in {args.config}", key="--audience",
                                      hint=f"did you mean '{hint[0]}'?" if hint else
                                      f"the config has: {', '.join(known) or 'no audiences'}"))
    target = project.eject(args.name, Path(args.config).resolve().parent, args.audience, args.force)
    print(f"copied {args.name} to {target}: edit it there")
    return 0


def _serve(args) -> int:
    from .serve import serve

    serve(Path(args.config), args.audience, args.port)
    return 0


def _formats(text: str | None) -> tuple[str, ...] | None:
    """--format LIST → format names (None: the config's choice); usage error for an unknown one."""
    from . import render

    if text is None:
        return None
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in render.FORMATS]
    if unknown or not wanted:
        _usage(f"--format takes a comma-separated list of {', '.join(render.FORMATS)} (got {text!r})")
    return wanted


def _usage(message: str):
    print(f"briefgen: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write YYYY-MM-DD)") from None


def _period_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--week", metavar="YYYY-Www", help="reporting window: one ISO week (2023-W37), 'current' or 'last'")
    p.add_argument("--since", type=_day, metavar="DATE", help="reporting window: first day (YYYY-MM-DD)")
    p.add_argument("--until", type=_day, metavar="DATE", help="reporting window: last day (YYYY-MM-DD)")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default="config.yaml", metavar="PATH",
                        help="the brief's config file (default: config.yaml)")
    common.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    common.add_argument("--quiet", action="store_true", help="print only errors and warnings")
    parser = argparse.ArgumentParser(
        prog="briefgen", description="Turn a folder of news articles into a sourced situation brief.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", parents=[common], help="build the brief (HTML, PDF, JSON)",
                       description="Build the brief into the output folder. Every format is "
                                   "rendered before any file is written, so a failed build "
                                   "leaves earlier outputs untouched.")
    b.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build)")
    b.add_argument("--format", metavar="LIST",
                   help=f"comma-separated formats to write, of {','.join(pipeline.FORMATS)} "
                        "(default: the config's formats, else all)")
    _period_options(b)
    b.add_argument("--audience", metavar="ID", help="build only this audience's edition")
    b.set_defaults(run=_build)
    v = sub.add_parser("validate", parents=[common], help="check the config and every file it names",
                       description="Check the config and read every article it names; "
                                   "report every problem at once.")
    v.set_defaults(run=_validate)
    s = sub.add_parser("sources", parents=[common], help="list what was ingested from each source",
                       description="Read every source and list id, format, date, words, outlet and "
                                   "title, with merged duplicates and warnings.")
    s.add_argument("--json", action="store_true",
                   help="print a JSON list, one object per source, with its extracted text")
    s.add_argument("--out", default="build", metavar="DIR",
                   help="output folder whose stored editions give each outlet's track record (default: build)")
    s.set_defaults(run=_sources)
    c = sub.add_parser("claims", parents=[common], help="print the claims × sources stance matrix",
                       description="Check every claim (from config and found in the sources) against "
                                   "every source and print who asserts, disputes or reports it.")
    c.add_argument("--json", action="store_true", help="print a JSON list: id, statement, status, "
                   "credibility, stances {source: {stance, evidence}}")
    c.set_defaults(run=_claims)
    i = sub.add_parser("init", help="create a new brief project in a folder",
                       description="Create a brief project: a config with comments, a sample "
                                   "article and a templates folder. Then run 'briefgen build' in it.")
    i.add_argument("folder", type=Path, metavar="DIR")
    i.set_defaults(run=_init, debug=False)
    t = sub.add_parser("templates", parents=[common], help="list the built-in templates or copy one to edit",
                       description="'list' shows the built-in templates; 'eject NAME' copies one into "
                                   "the project's templates/ folder (templates/<audience>/ with --audience).")
    t.add_argument("action", choices=["list", "eject"])
    t.add_argument("name", nargs="?", metavar="NAME")
    t.add_argument("--audience", metavar="ID", help="eject into templates/<ID>/ (that audience only)")
    t.add_argument("--force", action="store_true", help="replace the project's copy")
    t.set_defaults(run=_templates)
    v = sub.add_parser("serve", parents=[common], help="live preview: rebuild and reload on every save",
                       description="Serve the HTML brief on 127.0.0.1; it rebuilds when the config, a "
                                   "template or an article changes, and the open page reloads by itself. "
                                   "Errors show in the page.")
    v.add_argument("--audience", metavar="ID", help="the audience to preview (default: the first)")
    v.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000; 0 picks one)")
    v.set_defaults(run=_serve)
    for name, run, text in (("send", _send, "build the brief and e-mail it with its PDF"),
                            ("weekly", _weekly, "build and e-mail this week's brief (for cron)")):
        m = sub.add_parser(name, parents=[common], help=text, description=text + ". Every message "
                           "is written to the outbox before it is sent; a failure leaves it there for "
                           "'send --retry', and no recipient gets the same brief twice.")
        m.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build)")
        m.add_argument("--outbox", metavar="DIR", help="outbox folder (default: OUT/outbox)")
        m.add_argument("--dry-run", action="store_true",
                       help="write each message as a file (OUT/outbox/dry-run/ or --outbox), send nothing")
        if name == "send":
            _period_options(m)
            m.add_argument("--audience", metavar="ID", help="send only this audience's edition")
            m.add_argument("--retry", action="store_true", help="send what is left in the outbox")
            m.add_argument("--force", action="store_true", help="with --retry: also send again what may "
                           "have been delivered (the server stopped answering after the message)")
        else:
            m.add_argument("--week", default="current", metavar="YYYY-Www",
                           help="ISO week, 'current' (default) or 'last'")
        m.set_defaults(run=run)
    return parser

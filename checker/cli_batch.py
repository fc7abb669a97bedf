"""Command-line options and commands for batch work: config, baseline, stats (registered on cli.main)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

EXECUTORS = ("local", "dask")  # batch.EXECUTORS, named here so --help stays light


def _split(values) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


class Seconds(click.ParamType):
    """A finite number of seconds above zero: 'inf' and 'nan' are refused, not read as "no limit"."""

    name = "seconds"

    def convert(self, value, param, ctx):
        import math

        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} 不是秒数", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"{value!r} 应为有限的正数（秒）", param, ctx)
        return number


def rule_options(fn):
    """Which rules run: every command that checks documents shares these four options."""
    opts = [
        click.option("--select", multiple=True, help="只运行这些规则（按 ID 前缀，逗号分隔），如 EXC-REGION,SME"),
        click.option("--ignore", multiple=True, help="不运行这些规则（按 ID 前缀）"),
        click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
                     help="额外的规则目录（地方规则包，同样的 YAML 格式）"),
        click.option("--switch", multiple=True, help="地方开关，如 dongguan"),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _set_ocr(ctx, param, value):
    if value is not None:
        from .ingest.ocr import configure

        configure(value)  # an environment setting, so worker processes follow it too
    return value


def ocr_option(fn):
    """--ocr auto|always|never: read pages without a usable text layer with OCR (the ocr extra)."""
    return click.option("--ocr", type=click.Choice(("auto", "always", "never")), default=None,
                        expose_value=False, callback=_set_ocr,
                        help="扫描页、乱码页的 OCR 识别：auto 需要时识别（默认，需安装 "
                             "pip install 'tender-check[ocr]'）；always 每页都识别；never 不识别")(fn)


def batch_options(fn):
    """Options every command that scans a folder shares."""
    fn = ocr_option(fn)
    opts = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False),
                     help="配置文件（默认：当前目录或上级目录的 tender-check.toml 或 pyproject.toml 的 [tool.tender-check]）"),
        click.option("--include", multiple=True, help="只检查匹配的文件（通配符，可多次给出），如 '*.docx'"),
        click.option("--exclude", multiple=True, help="跳过匹配的文件（通配符），如 '草稿/*'"),
        click.option("-j", "--jobs", type=click.IntRange(min=1), help="并行进程数（默认：CPU 核数）"),
        click.option("--timeout", type=Seconds(),
                     help="单个文件的处理时限（秒，默认 600），超时记为该文件的错误，其余文件照常检查"),
        click.option("--executor", type=click.Choice(EXECUTORS), default="local", show_default=True,
                     help="local：本机进程池；dask：发送到 Dask 集群（需 pip install 'tender-check[dask]'）"),
        click.option("--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786（--executor dask 时）"),
        click.option("--follow-symlinks", is_flag=True,
                     help="跟随指向被检查目录之外的符号链接（默认不跟随）"),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def effective_config(ctx: click.Context):
    """Configuration file values with the command line's given flags on top."""
    from .config import load_config

    p = ctx.params
    cfg = load_config(p.get("config_file"))

    def given(name):
        value = p.get(name)
        return _split(value) if value else None

    return cfg.override(
        select=given("select"), ignore=given("ignore"), fail_on=p.get("fail_on"),
        rules=list(p["rules_dirs"]) if p.get("rules_dirs") else None, switches=given("switch"),
        include=list(p["include"]) if p.get("include") else None,
        exclude=list(p["exclude"]) if p.get("exclude") else None,
        jobs=p.get("jobs"), timeout=p.get("timeout"), baseline=p.get("baseline_file"))


def prepare_run(ctx: click.Context, paths, use_baseline: bool = True, keep_document: bool = False):
    from . import baseline as baseline_mod
    from .pipeline import Run, batch_settings_from

    cfg = effective_config(ctx)
    p = ctx.params
    base = None
    if use_baseline and cfg["baseline"]:
        path = Path(cfg["baseline"])
        if cfg.sources["baseline"] not in ("默认", "命令行") and not path.is_absolute():
            path = cfg.root / path  # a configured baseline is relative to its config file
        base = baseline_mod.load(path)
    decisions = None
    if p.get("decisions_file"):
        from .decisions import load as load_decisions

        decisions = load_decisions(p["decisions_file"])  # a bad file stops here, before any scanning
    run = Run(list(paths), cfg, batch_settings_from(cfg, p.get("executor") or "local", p.get("scheduler")),
              baseline=base, decisions=decisions, follow_links=bool(p.get("follow_symlinks")))
    run.options.keep_document = keep_document
    return run


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


@click.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="指定配置文件")
def config_cmd(config_file):
    """显示生效的配置及每一项的来源（配置文件或默认值）。

    \b
    配置文件：当前目录或上级目录的 tender-check.toml，或 pyproject.toml 的 [tool.tender-check]：
      select = ["EXC", "NUM"]          ignore = ["EXC-BRAND"]
      fail-on = "error"                rules = ["本地规则"]        switches = ["dongguan"]
      include = ["*.docx"]             exclude = ["草稿/*"]        jobs = 2    timeout = 120
      baseline = "tender-check-baseline.json"
      [severity]           "EXC-BRAND-001" = "warning"
      [per-path-ignores]   "archive/**" = ["SME"]
    命令行选项取代配置文件中的同名值。
    \b
    例：
      tender-check config
      tender-check config --config ci/tender-check.toml
    """
    from .config import describe, load_config

    click.echo(describe(load_config(config_file)), nl=False)


@click.command("baseline")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="基线文件（JSON）")
@rule_options
@batch_options
@click.pass_context
def baseline_cmd(ctx, paths, output, **_):
    """记录现有的发现作为基线；之后 scan --baseline 文件 只报告新出现的问题。

    \b
    指纹 = 规则 ID + 归一化摘录 + 标题路径（+ 相同条目的序号），不含位置，
    所以文档其他地方的修改不会让已知问题重新出现；改名或另存的文件按共有指纹最多的基线条目匹配。
    例：
      tender-check baseline 待审文件/ -o tender-check-baseline.json
      tender-check scan 待审文件/ --baseline tender-check-baseline.json
    """
    from . import reporters
    from .baseline import build
    from .pipeline import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK
    from .reporters.json import dumps

    from .interrupt import SigintGuard
    from .pipeline import refuse_input_as_output

    run = prepare_run(ctx, paths, use_baseline=False)
    refuse_input_as_output(output, run.inputs)  # before the scan: the baseline never replaces an input
    results = []
    with SigintGuard() as guard:
        try:
            for r in run.results():
                results.append(r)
        except KeyboardInterrupt:
            guard.hold()
            _echo_err("已中断：未写入基线")
            sys.exit(EXIT_INTERRUPTED)
        guard.hold()
        reporters.write_atomic(output, dumps(build(results, output)), run.inputs)
    count = sum(len(r.findings) for r in results)
    bad = [r for r in results if r.status != "ok"]
    click.echo(f"已记录 {count} 项发现（{len(results)} 个文件）到 {output}")
    for r in bad:
        _echo_err(f"{r.path}: 无法读取：{r.error}")
    sys.exit(EXIT_INPUT if bad else EXIT_OK)


@click.command("stats")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件（html 格式必须给出）")
@rule_options
@batch_options
@click.pass_context
def stats_cmd(ctx, paths, fmt, output, **_):
    """统计一批文件（或已保存的 jsonl 结果）：各规则与规则族的发现数和文档数、按项目属性的价格分权重分布、
    中小企业价格扣除比例分布、超出各项法定幅度的文档数。

    \b
    例：
      tender-check stats 待审文件/
      tender-check stats results.jsonl --format csv -o stats.csv
      tender-check stats 待审文件/ --format html -o stats.html
    """
    from . import reporters
    from .errors import InputError
    from .pipeline import EXIT_INPUT
    from .stats import Stats, read_jsonl, render_csv, render_html, render_text

    if fmt == "html" and not output:
        raise click.UsageError("--format html 需要 -o 文件名")
    from .interrupt import SigintGuard
    from .pipeline import refuse_input_as_output

    saved = [p for p in paths if str(p).lower().endswith(".jsonl")]
    to_scan = [p for p in paths if p not in saved]
    stats = Stats()
    if output:
        refuse_input_as_output(output, saved)
    try:
        for p in saved:
            for record in read_jsonl(p):
                stats.add(record)
    except InputError as exc:
        _echo_err(f"tender-check: {exc}")
        sys.exit(EXIT_INPUT)
    interrupted = False
    with SigintGuard() as guard:
        if to_scan:
            run = prepare_run(ctx, to_scan, use_baseline=False)
            if output:
                refuse_input_as_output(output, list(saved) + run.inputs)
            try:
                for r in run.results():
                    stats.add(r.as_json())
            except KeyboardInterrupt:
                interrupted = True
                _echo_err("已中断：统计只包含已完成的文件")
        guard.hold()
        text = {"text": render_text, "csv": render_csv, "html": render_html}[fmt](stats)
        if output:
            reporters.write_atomic(output, text, saved)
            click.echo(f"已写入 {output}", err=True)
        else:
            click.echo(text, nl=False)
    if interrupted or guard.count:
        sys.exit(130)

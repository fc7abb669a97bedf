"""Command-line interface: a thin click layer over checker.api (heavy imports happen inside commands)."""
from __future__ import annotations

import sys

import click

from . import __version__
from .cli_annotate import annotate_cmd
from .cli_opinion import opinion_cmd
from .cli_serve import serve_cmd
from .cli_batch import baseline_cmd, batch_options, config_cmd, ocr_option, rule_options, stats_cmd

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
FAIL_ON = ("error", "warning", "info", "never")
_SEV_RANK = {"info": 0, "warning": 1, "error": 2}


def _split(values) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def exit_code(report, fail_on: str) -> int:
    """3 if any input could not be read (wins), else 1 if a finding reaches --fail-on, else 0."""
    if any(r.status == "error" for r in report.files):
        return EXIT_INPUT
    if fail_on == "never":
        return EXIT_OK
    floor = _SEV_RANK[fail_on]
    if any(_SEV_RANK.get(f.severity, 0) >= floor for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK


class _Group(click.Group):
    def invoke(self, ctx):
        from .errors import CheckerError
        from .textsafe import printable

        try:
            return super().invoke(ctx)
        except CheckerError as exc:
            click.echo(f"tender-check: {printable(exc)}", err=True)
            ctx.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("tender-check: 已中断，未写入任何内容", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tender-check")
def main():
    """tender-check：招标/采购文件合规检查。

    \b
    例：
      tender-check scan 招标文件.docx
      tender-check scan corpus/ --format html --output report.html
      tender-check rules list
      tender-check serve                 # 本机网页：上传检查、审查判断、两稿比较
    """


def _options(rules_dirs, select, ignore, switch):
    from pathlib import Path

    from .api import Options

    return Options(extra_rule_dirs=[Path(d) for d in rules_dirs], select=_split(select),
                   ignore=_split(ignore), switches=frozenset(_split(switch)))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="text", show_default=True,
              help="输出格式：text、concise、json（以及已安装的 html、sarif、junit、jsonl、csv、xlsx；xlsx 须用 -o）")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件（整份写入，不会留下半份报告）")
@rule_options
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="达到该严重程度的发现使退出码为 1（默认 warning，可在配置文件中设置）")
@click.option("--color/--no-color", default=None, help="彩色输出（默认：终端时启用）")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="基线文件：只报告其中没有的新发现（用 tender-check baseline 生成）")
@click.option("--opinion-dir", type=click.Path(file_okay=False),
              help="为每个可读取的文件生成审查意见书（.docx）写到这个目录；HTML 报告中链接到它")
@click.option("--decisions", "decisions_file", type=click.Path(dir_okay=False),
              help="审查判断文件（HTML 报告“导出判断”下载的 JSON）：误报不再列出（只计数），采纳、待核附判断和备注；"
                   "按指纹匹配，改名或另存的稿件同样适用")
@click.option("--annotate-dir", type=click.Path(file_okay=False),
              help="把每个 .docx 另存一份带 Word 批注的副本到此目录（<原名>.annotated.docx；原稿不改动）")
@batch_options
@click.pass_context
def scan(ctx, paths, fmt, output, select, ignore, fail_on, rules_dirs, switch, color, baseline_file,
         decisions_file, annotate_dir, opinion_dir, **_batch):
    """检查文件或目录（递归），报告每个问题段落及其规则 ID。

    \b
    退出码：0 无达到 --fail-on 的发现；1 有发现；2 用法或规则文件错误；
            3 有文件无法读取（优先于 1）。
    \b
    例：
      tender-check scan 招标文件.docx
      tender-check scan 待审文件/ --format json -o result.json --fail-on error
      tender-check scan a.pdf --select EXC-REGION,EXC-SCALE --ignore EXC-BRAND-002
      tender-check scan 待审文件/ -j 4 --timeout 120 --format sarif -o result.sarif
      tender-check scan 待审文件/ --format jsonl --exclude '草稿/*' > results.jsonl
      tender-check scan 第二稿.docx --decisions 判断.json --format html -o 报告.html
    """
    from . import reporters
    from .cli_batch import prepare_run
    from .pipeline import run_scan

    if fmt not in reporters.FORMATS:
        raise click.UsageError(f"未知的输出格式 {fmt!r}（可用：{', '.join(sorted(reporters.FORMATS))}）")
    # the HTML report shows the whole document around the marks
    run = prepare_run(ctx, paths, keep_document=fmt == "html")
    if opinion_dir:
        from .cli_opinion import attach_opinions

        attach_opinions(run, opinion_dir, lambda m: click.echo(m, err=True))
    if annotate_dir:
        from .cli_annotate import attach_annotator

        attach_annotator(run, annotate_dir, lambda m: click.echo(m, err=True))
    sys.exit(run_scan(run, fmt, output, run.config["fail-on"], color, lambda m: click.echo(m, err=True)))


@main.command()
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@ocr_option
def facts(path, fmt):
    """显示从文件中读出的项目事实（采购方式、属性、预算、价格分权重、中小企业政策……）。

    \b
    例：
      tender-check facts 招标文件.docx
      tender-check facts 招标文件.pdf --format json
    """
    from .errors import InputError
    from .facts import extract_facts
    from .ingest import read
    from .reporters.json import dumps

    try:
        doc = read(path)
    except InputError as exc:
        click.echo(f"{exc.path}: {exc.problem}", err=True)
        sys.exit(EXIT_INPUT)
    f = extract_facts(doc)
    if fmt == "json":
        click.echo(dumps({"path": path, "facts": f.as_json(),
                          "evidence": {k: v.as_json() for k, v in f.evidence.items()}}), nl=False)
        return
    _echo_facts(path, f)


_GROUP_ZH = {"price": "价格", "technical": "技术", "commercial": "商务", "other": "其他"}


def _echo_facts(path: str, f) -> None:
    """Facts with Chinese labels and values (未说明 for what the document does not say), each with its source."""
    from .reporters.html import FACT_LABELS, fact_value
    from .reporters.text import width

    click.echo(path)
    rows = [(k, v) for k, v in f.as_json().items() if k not in ("lots", "scoring")]
    pad = max((width(FACT_LABELS.get(k, k)) for k, _ in rows), default=8) + 2
    for key, value in rows:
        label = FACT_LABELS.get(key, key)
        where = f"  ← {f.evidence[key].describe()}" if key in f.evidence else ""
        click.echo(f"  {label}{' ' * (pad - width(label))}{fact_value(key, value)}{where}")
    for lot in f.values.get("lots") or []:
        click.echo(f"  采购包{lot['lot']}：" + "，".join(f"{FACT_LABELS.get(k, k)} {fact_value(k, v)}"
                                                   for k, v in lot.items() if k != "lot"))
    for s in f.scoring:
        weight = f"{s.price_weight:g}%" if s.price_weight is not None else "未说明"
        price = f"{s.price_points:g}" if s.price_points is not None else "—"
        click.echo(f"  评分表（{s.anchor.describe()}{'，采购包' + s.lot if s.lot else ''}）：合计{s.total:g}"
                   f"{'，文件写明' + format(s.stated_total, 'g') if s.stated_total is not None else ''}，"
                   f"价格{price}，权重{weight}")
        for item in s.items:
            click.echo(f"    {_GROUP_ZH.get(item.group, item.group):<4} {item.points:>6g}  {item.name}")


@main.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--select", multiple=True, help="只运行这些规则（按 ID 前缀）")
@click.option("--ignore", multiple=True, help="不运行这些规则（按 ID 前缀）")
@click.option("--min-f1", type=float, default=None, help="F1 低于此值时退出码为 1")
@click.option("--labels", "labels_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="审查人员标注目录（每个文档一个 <文件名>.yaml）：按标注评估真实文档")
def evaluate_cmd(paths, fmt, select, ignore, min_f1, labels_dir):
    """把检查结果与每个文档旁的期望结果（<文件名>.expected.yaml）比对：按规则和规则族给出精确率、
    召回率、F1，项目事实准确率，并列出漏报和误报。

    \b
    例：
      tender-check eval corpus
      tender-check eval corpus --format json --min-f1 1.0
      tender-check eval --labels ../shared/real-corpus/labels ../shared/real-corpus
    """
    from .reporters.json import dumps

    if labels_dir:
        _eval_labels(paths, labels_dir, fmt, _options((), select, ignore, ()))
        return
    from .evaluate import evaluate, render_text

    result = evaluate(list(paths), _options((), select, ignore, ()))
    if fmt == "json":
        click.echo(dumps(result.as_json()), nl=False)
    else:
        click.echo(render_text(result), nl=False)
    sys.exit(EXIT_FINDINGS if min_f1 is not None and result.overall.f1 < min_f1 else EXIT_OK)


def _eval_labels(paths, labels_dir, fmt, options) -> None:
    from . import label_eval
    from .reporters.json import dumps

    ev = label_eval.evaluate_labels(list(paths), labels_dir, options)
    click.echo(dumps(label_eval.as_json(ev)) if fmt == "json" else label_eval.render_text(ev), nl=False)


@main.command("compare")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件（整份写入，不会留下半份报告）")
@rule_options
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="配置文件（默认：自动查找）")
@click.pass_context
def compare_cmd(ctx, old, new, fmt, output, **_):
    """比较两稿：哪些问题已修改（旧稿有、新稿没有）、哪些是新增的、哪些仍存在，并给出两稿中的位置。

    \b
    OLD、NEW 各是一个文档（.docx/.pdf/.doc/.txt/.md）或 scan --format json 写出的报告（.json）。
    按指纹配对：规则 ID + 归一化摘录 + 标题路径；标题改了的，再按规则 ID + 归一化摘录配对。
    退出码：0 比较完成；2 输入无法使用（文件不存在、无法读取、不是 tender-check 报告）。
    \b
    例：
      tender-check compare 第一稿.docx 第二稿.docx
      tender-check compare 第一稿.json 第二稿.docx --format html -o 比较.html
    """
    from . import reporters
    from .api import build_engine
    from .cli_batch import effective_config
    from .compare import RENDERERS, compare, load_side
    from .pipeline import options_from, refuse_input_as_output

    if output:
        refuse_input_as_output(output, [old, new])
    cfg = effective_config(ctx)
    engine = []

    def engine_factory():
        if not engine:
            engine.append(build_engine(options_from(cfg)))
        return engine[0]

    result = compare(load_side(old, engine_factory, cfg), load_side(new, engine_factory, cfg))
    text = RENDERERS[fmt](result)
    if output:
        reporters.write_atomic(output, text, [old, new])
        click.echo(f"已写入 {output}", err=True)
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_OK)


@main.group()
def rules():
    """查看与测试规则。

    \b
    例：
      tender-check rules list
      tender-check serve                 # 本机网页：上传检查、审查判断、两稿比较
      tender-check rules show EXC-SCALE-001
      tender-check rules test
    """


@rules.command("list")
@click.option("--select", multiple=True, help="按 ID 前缀筛选")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_list(select, fmt):
    """列出全部规则：ID、严重程度、状态、标题。

    \b
    例：
      tender-check rules list --select SME
    """
    from .reporters.json import dumps
    from .rules import load_rules, select_rules

    loaded = select_rules(load_rules(), _split(select))
    if fmt == "json":
        click.echo(dumps([{"id": r.id, "name": r.name, "title": r.title, "severity": r.severity,
                           "status": r.status, "family": r.family} for r in loaded]), nl=False)
        return
    for r in loaded:
        status = "预览" if r.status == "preview" else ""
        click.echo(f"{r.id:<18} {r.severity:<8} {status:<4} {r.title}")
    click.echo(f"共 {len(loaded)} 条规则")


@rules.command("show")
@click.argument("rule_id")
def rules_show(rule_id):
    """显示一条规则的说明：做什么、为什么、示例、改法、依据。

    \b
    例：
      tender-check rules show EXC-REGION-001
    """
    from .rules import load_rules

    found = [r for r in load_rules() if r.id == rule_id.upper()]
    if not found:
        raise click.UsageError(f"没有规则 {rule_id}（用 tender-check rules list 查看）")
    r = found[0]
    click.echo(f"{r.id} · {r.title}")
    click.echo(f"严重程度：{r.severity}　状态：{r.status}　名称：{r.name}\n")
    click.echo(f"## 为什么重要\n{r.description}\n")
    click.echo("## 违规示例")
    for ex in r.bad[:2]:
        click.echo("  " + ex.text.strip().replace("\n", "\n  "))
    click.echo("\n## 不应报告的写法")
    for ex in r.good[:2]:
        click.echo("  " + ex.text.strip().replace("\n", "\n  "))
    click.echo(f"\n## 怎么改\n{r.fix}\n")
    click.echo("## 依据")
    for b in r.basis:
        click.echo(f"  {b}")


@rules.command("test")
@click.argument("rule_ids", nargs=-1)
@click.option("-v", "--verbose", is_flag=True, help="列出每个示例的结果")
def rules_test(rule_ids, verbose):
    """运行每条规则自带的示例（bad 必须报告标出的片段，good 必须不报告）。

    \b
    例：
      tender-check rules test
      tender-check rules test EXC-SCALE-001 -v
    """
    from .rules import load_rules, select_rules
    from .ruletest import run_rule_examples

    loaded = select_rules(load_rules(), list(rule_ids)) if rule_ids else load_rules()
    failed = 0
    total = 0
    for rule in loaded:
        for res in run_rule_examples(rule):
            total += 1
            if not res.ok:
                failed += 1
                click.echo(f"失败 {res.rule_id} {res.kind}[{res.index}]：{res.detail}")
                click.echo("    " + res.text.strip().replace("\n", "\n    "))
            elif verbose:
                click.echo(f"通过 {res.rule_id} {res.kind}[{res.index}]")
    click.echo(f"{len(loaded)} 条规则，{total} 个示例，{failed} 个失败")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


main.add_command(config_cmd)
main.add_command(annotate_cmd)
main.add_command(opinion_cmd)
main.add_command(baseline_cmd)
main.add_command(stats_cmd)
main.add_command(serve_cmd)


if __name__ == "__main__":  # pragma: no cover
    main()

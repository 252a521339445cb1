"""Make the paper sample pages in docs/ (issue 13): a sheet for 王堃 with 张珺玥/李喆 in its text,
a blank form of each form, a signed sheet and the same sheet inside a month's batch.

    .venv/bin/python scripts/paper_samples.py [OUT_DIR]   (default docs/; needs pdftoppm)

Each is made through the command line as a clerk would, into a scratch ledger; the PDFs stay in
a temporary folder, the first page of each goes to OUT_DIR as a PNG at 80 dpi.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def cli(db: Path, *args: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), *args], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, **(env or {})})
    print(result.stdout.strip(), result.stderr.strip(), sep="\n" if result.stderr else "")
    result.check_returncode()


def png(pdf: Path, out: Path, page: int = 1) -> None:
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True)
    print("→", out)


def ledger(db: Path, policy_id: str, school: str) -> None:
    import paper_data as pd

    from liaison_desk.ledger import settings
    from liaison_desk.ledger.activities import ActivityInput, add_activity
    from liaison_desk.ledger.roster import add_cadre, add_target, assign
    from liaison_desk.store import storage

    storage.open_database(db)
    policy = settings.init(policy_id, school)
    pd.build(policy)
    if policy_id == "fjwsxy-2021":
        add_cadre("王堃", "leader", "校领导班子", "副校长", "党委委员")
        add_target("张珺玥", "个人", "护理系")
        add_target("李喆", "青年教师", "护理系")
        assign("王堃", "李喆", "2025-2026")
        for day, category, target, summary in [
            (date(2025, 10, 15), "联系青年教师", "李喆", "听取李喆对青年教师培养的意见，约定每月交流一次"),
            (date(2025, 10, 22), "进课堂", "护理2301班", "随堂听课，课后与李喆、张珺玥等师生座谈"),
            (date(2025, 10, 8), "谈心谈话", "张珺玥", "与张珺玥谈心，了解学业情况，落实1/1–2个帮扶措施"),
        ]:
            add_activity(ActivityInput("王堃", day, category, target=target, summary=summary), policy)
    storage.close_database()


def main() -> None:
    import paper_data as pd

    docs = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    with tempfile.TemporaryDirectory() as d:
        d = os.environ.get("PAPER_SAMPLES_KEEP", d)
        tmp = Path(d)
        db = tmp / "fj.sqlite3"
        ledger(db, "fjwsxy-2021", "福建卫生职业技术学院")
        cli(db, "sheet", "--cadre", "王堃", "--month", "2025-10", "--out", str(tmp / "wangkun.pdf"))
        png(tmp / "wangkun.pdf", docs / "sheet-wang-kun.png")
        cli(db, "sheet", "--month", "2026-06", "--all", "--out", str(tmp / "blank.pdf"))
        png(tmp / "blank.pdf", docs / "sheet-blank-wulian-qijin.png", 1)
        png(tmp / "blank.pdf", docs / "sheet-blank-santeyiti.png", 2)
        certs = pd.make_certificates(tmp)
        cli(db, "signature", "--cadre", "王堃", "--image", str(write(tmp / "sig.png", pd.signature_png())))
        cli(db, "sign", "--cadre", "王堃", "--month", "2025-10", "--p12", str(certs.p12),
            "--password-env", "SAMPLE_P12", "--out", str(tmp / "signed.pdf"), env={"SAMPLE_P12": certs.password})
        png(tmp / "signed.pdf", docs / "sheet-signed.png")
        cli(db, "sheet", "--month", "2025-10", "--all", "--out", str(tmp / "batch.pdf"))
        png(tmp / "batch.pdf", docs / "sheet-signed-in-batch.png", 3)
        for name in ("signed.pdf", "batch.pdf"):
            check = subprocess.run(["pdfsig", str(tmp / name)], capture_output=True, text=True)
            print(name, "pdfsig:", (check.stdout + check.stderr).strip().replace("\n", " | ")[-500:])
        jl = tmp / "jl.sqlite3"
        ledger(jl, "jljtxy-2018", "吉林交通职业技术学院")
        cli(jl, "sheet", "--cadre", "王建国", "--month", "2026-06", "--out", str(tmp / "branch.pdf"))
        png(tmp / "branch.pdf", docs / "sheet-blank-branch-contact.png")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    main()

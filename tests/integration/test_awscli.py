"""The AWS CLI (Debian's awscli, v2) against trainyard with --endpoint-url:
the commands a SageMaker user types, unchanged, including --cli-input-json
with the files of examples/jobs, and SigV4 with a credentials-file profile.

Each call runs with HOME in a temporary directory and no config files, so
nothing from the machine's own AWS setup leaks in.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import NO_CAPACITY, REGION, REPO_ROOT, job_arn

AWS = Path("/usr/bin/aws")  # Debian's package, not whatever else is on PATH
EXAMPLES = sorted((REPO_ROOT / "examples" / "jobs").glob("*.json"))


class AwsCli:
    def __init__(self, endpoint: str, home: Path, **env: str):
        if not AWS.exists():
            pytest.fail(f"{AWS} is missing: install awscli (make deps)")
        home.mkdir(parents=True, exist_ok=True)
        self.endpoint = endpoint
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "AWS_CONFIG_FILE": str(home / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
            "AWS_DEFAULT_REGION": REGION,
            "AWS_PAGER": "",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1",
            **env,
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(AWS), "sagemaker", *args, "--endpoint-url", self.endpoint,
                               "--output", "json"],
                              capture_output=True, text=True, env=self.env, cwd=REPO_ROOT, timeout=60)
        if check:
            assert proc.returncode == 0, f"aws sagemaker {' '.join(args)}: rc {proc.returncode}\n{proc.stderr}"
        return proc

    def json(self, *args: str):
        return json.loads(self.run(*args).stdout)


@pytest.fixture
def aws(server, tmp_path) -> AwsCli:
    return AwsCli(server.url, tmp_path / "home", AWS_ACCESS_KEY_ID="AKIDDUMMY", AWS_SECRET_ACCESS_KEY="dummy")


def test_create_describe_list_stop_with_the_cli(aws):
    names = []
    for path in EXAMPLES:
        doc = json.loads(path.read_text())
        rel = path.relative_to(REPO_ROOT)
        created = aws.json("create-training-job", "--cli-input-json", f"file://{rel}")
        assert created == {"TrainingJobArn": job_arn(doc["TrainingJobName"])}
        names.append(doc["TrainingJobName"])

    described = aws.json("describe-training-job", "--training-job-name", names[0])
    doc = json.loads(EXAMPLES[0].read_text())
    assert described["TrainingJobName"] == names[0]
    assert described["TrainingJobStatus"] == "InProgress"
    assert described["ResourceConfig"] == doc["ResourceConfig"]
    assert described["HyperParameters"] == doc["HyperParameters"]
    # The CLI turns epoch seconds into ISO 8601.
    assert described["CreationTime"].startswith("20")

    # --page-size 1: the CLI's own paginator follows NextToken to the end.
    listed = aws.json("list-training-jobs", "--page-size", "1", "--sort-by", "Name")
    assert [s["TrainingJobName"] for s in listed["TrainingJobSummaries"]] == sorted(names)

    aws.run("stop-training-job", "--training-job-name", names[0])
    aws.run("wait", "training-job-completed-or-stopped", "--training-job-name", names[0])
    assert aws.json("describe-training-job", "--training-job-name", names[0])["TrainingJobStatus"] == "Stopped"
    tags = aws.json("list-tags", "--resource-arn", job_arn(names[1]))["Tags"]
    assert tags == json.loads(EXAMPLES[1].read_text())["Tags"]


def test_cli_errors_name_the_aws_code(aws):
    proc = aws.run("describe-training-job", "--training-job-name", "no-such-job", check=False)
    assert proc.returncode == 254
    assert "(ValidationException)" in proc.stderr and "Requested resource not found." in proc.stderr

    aws.run("create-training-job", "--cli-input-json", f"file://{EXAMPLES[0].relative_to(REPO_ROOT)}")
    proc = aws.run("create-training-job", "--cli-input-json", f"file://{EXAMPLES[0].relative_to(REPO_ROOT)}",
                   check=False)
    assert proc.returncode == 254 and "(ResourceInUse)" in proc.stderr


def test_cli_signs_with_a_profile_of_the_servers_credentials_file(server_factory, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.write_text("[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team-secret\n")
    srv = server_factory.start("--auth", "sigv4", "--credentials", str(credentials),
                               "--capacity", str(NO_CAPACITY))
    # The user's own file, used as is.
    cli = AwsCli(srv.url, tmp_path / "home", AWS_SHARED_CREDENTIALS_FILE=str(credentials), AWS_PROFILE="team")
    assert cli.json("list-training-jobs") == {"TrainingJobSummaries": []}

    wrong = tmp_path / "wrong-credentials"
    wrong.write_text("[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = not-the-secret\n")
    cli = AwsCli(srv.url, tmp_path / "home", AWS_SHARED_CREDENTIALS_FILE=str(wrong), AWS_PROFILE="team")
    proc = cli.run("list-training-jobs", check=False)
    assert proc.returncode == 254 and "(InvalidSignatureException)" in proc.stderr

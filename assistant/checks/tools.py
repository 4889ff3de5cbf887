"""The checks as langchain StructuredTools, so the LLM mode computes verdicts by code, never by guess.

Each tool returns the report's JSON (or {"error": ...} for bad input); it never raises on user data.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..types import UserInputError


class CheckFiguresArgs(BaseModel):
    figures: dict[str, float | int | str] = Field(
        description="本单位的数据，键为数据项英文名（如 employees 职工人数、full_time_party_workers 专职党务人员、"
                    "payroll 工资总额（元）、party_funds 党建经费（元）、branch_committee_meetings 支委会次数），值为数字。"
                    "全部键见 list_check_figures。")
    period: str | None = Field(
        default=None, description="次数和学时的统计期：今年、上半年、一季度、前三季度、截至9月底；不填按全年。")


class CheckTextArgs(BaseModel):
    text: str = Field(description="用户原话中带数字的部分，如“职工1200人，专职党务人员10人”“今年支委会开了9次”。")


class ListFiguresArgs(BaseModel):
    pass


def _check_figures(figures: dict, period: str | None = None) -> dict:
    from . import check_figures

    try:
        return check_figures(figures, period).to_json()
    except UserInputError as e:
        return {"error": str(e)}


def _check_text(text: str) -> dict:
    from . import check_text

    try:
        return check_text(text).to_json()
    except UserInputError as e:
        return {"error": str(e)}


def _list_figures() -> list[dict]:
    from .rules import load_registry

    return [{"key": f.key, "label": f.label, "unit": f.unit, "help": f.help} for f in load_registry().figures]


def get_tools() -> list:
    """check_figures, check_text, list_check_figures as StructuredTools."""
    from langchain_core.tools import StructuredTool

    return [
        StructuredTool.from_function(
            func=_check_figures, name="check_figures", args_schema=CheckFiguresArgs,
            description="按两份党建标准逐条核对本单位的数字（人数、经费、会议次数、学时、董事会人数……），"
                        "返回每条规则的结论（pass/warn/fail）、实际值、要求、差距和条款编号。"),
        StructuredTool.from_function(
            func=_check_text, name="check_text", args_schema=CheckTextArgs,
            description="从一段中文描述中读出数字并按标准核对，返回同 check_figures 的结论。"),
        StructuredTool.from_function(
            func=_list_figures, name="list_check_figures", args_schema=ListFiguresArgs,
            description="列出 check_figures 可接受的全部数据项（英文键、中文名、单位）。"),
    ]

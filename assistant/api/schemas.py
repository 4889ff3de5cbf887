"""Request and response bodies of the HTTP API (pydantic: the schema is the point here)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_MESSAGES = 200


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content if p.type in ("text", "input_text"))


class ChatRequest(BaseModel):
    """OpenAI chat completions. Unknown OpenAI options (temperature, top_p …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(description="standards-assistant（按配置：抽取式或大模型）或 standards-assistant-extractive")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES,
                                        description="对话历史，最后一条是用户的问题；之前的用户消息用于理解追问")
    stream: bool = False
    user: str | None = Field(default=None, max_length=200, description="用户标识：会话按它区分")
    conversation_id: str | None = Field(default=None, max_length=32,
                                        description="可选：服务端保存的会话编号；给出时上文取自存储，本轮也存入")


class CitationOut(BaseModel):
    id: str = Field(description="条款编号，如 HG-21.1")
    label: str = Field(description="条款标签，如 〔河钢标准 第21条第1款〕")
    quote: str = Field(description="条款原文的连续片段")
    verified: bool = Field(description="引用已核实（抽取式回答总是 true）")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="问题，如“支委会多久开一次？”")
    conversation_id: str | None = Field(default=None, max_length=32, description="可选：继续一个已保存的会话")
    extractive: bool = Field(default=False, description="即使配置了大模型，也只用抽取式回答")


class AskResponse(BaseModel):
    question: str
    query: str = Field(description="按上下文理解后实际检索的问题")
    answer: str = Field(description="回答全文，含条款标签")
    covered: bool = Field(description="标准中有规定（false 时回答说明没有找到）")
    citations: list[CitationOut]
    mode: str
    notice: str | None = None
    checks: list[dict] | None = None
    conversation_id: str | None = None
    turn_id: int | None = None


class RetrieveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str
    k: int = 5
    doc: str | None = Field(default=None, description="只在一份文档中检索（文档代码）")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, description="含数字的描述，如“职工1200人，专职党务人员10人”")
    figures: dict[str, Any] | None = Field(default=None, description='数据对象，如 {"employees": 1200}')
    period: str | None = Field(default=None, description="figures 中次数的统计期：今年、上半年、一季度……")


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str = Field(description="党支部、党总支或党委")
    year: int | str
    topic: str | None = None
    profile: str | dict[str, Any] | None = None
    format: str = Field(default="json", description="md、docx 或 json")
    org: str | None = Field(default=None, description="单位名称（写入标题、页眉和落款）")
    drafter: str | None = Field(default=None, description="拟稿人")
    date: str | None = Field(default=None, description="成文日期，如 2026-12-01；默认今天")


class QuizRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int | str = 20
    types: str | list[str] = "choice,multi,judge,blank"
    doc: str = "all"
    topic: str | None = None
    seed: int | str = 7
    format: str = Field(default="json", description="json、md、docx 或 csv")


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = ""


class ConversationRename(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn_id: int
    rating: Literal[1, -1, "up", "down"] = Field(description="1 / up 有用，-1 / down 没用")
    comment: str = ""

    def rating_value(self) -> int:
        return {"up": 1, "down": -1}.get(self.rating, self.rating)  # type: ignore[arg-type]

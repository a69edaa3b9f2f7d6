"""The review report (复盘报告) of a closed incident: pure building blocks, no bot and no database.

- model: the plain data the service fills (ReviewData and its rows);
- phases: phases of spread from a count series (development / outbreak / continuation);
- hotwords: hot words of the post texts (jieba) and the word cloud;
- charts: the charts as PNG bytes (matplotlib, Agg), None when there is no data;
- docx_writer: the Word document (python-docx), Chinese or English;
- fonts: the CJK font the charts use;
- sample: a synthetic incident for demos, tests and the benchmark.
"""

from bot.review.model import Approval, ClockRow, PostSample, Release, ReviewData, TimelineEvent

__all__ = ["Approval", "ClockRow", "PostSample", "Release", "ReviewData", "TimelineEvent"]

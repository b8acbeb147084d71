"""The analytics part of the demo county (registered with demo_seed; see xuncha/common/demo.py)."""

from xuncha.analytics.demo_situation import seed_situation, situation_seeded
from xuncha.common.demo import demo_part

demo_part(order=90, seeded=situation_seeded, seed=seed_situation, message="已补充第七轮现场工作记录 {records} 条。")

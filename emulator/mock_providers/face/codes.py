"""Every documented result code of the WeChat H5 face flow (``Text.ErrCode``), and where in
``DetectInfoText`` each one shows.

Source: 人脸核身 Plus 版返回码, https://cloud.tencent.com/document/product/1007/31082 (微信小程序 /
H5 返回码: 系统, 微信相关, 活体检测 (通用, 数字, 动作, 1301-1303 from the 2023-08-01 notice
https://cloud.tencent.com/document/product/1007/95804), 证件图像比对).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..identity import with_check_digit


class Stage(StrEnum):
    SYSTEM = "system"  # the flow stopped before liveness: ErrCode only
    WECHAT = "wechat"  # WeChat / ID card capture failed: ErrCode only
    LIVENESS = "liveness"  # LiveStatus carries the code too
    COMPARE = "compare"  # liveness passed (LiveStatus 0), Comparestatus carries the code


@dataclass(frozen=True)
class FaceCode:
    code: int
    message: str
    stage: Stage
    charged: bool = False


def _codes(stage: Stage, rows: dict[int, str], charged: frozenset[int] = frozenset()
           ) -> dict[int, FaceCode]:
    return {code: FaceCode(code, text, stage, code in charged) for code, text in rows.items()}


_CALL = "调用方式出错，请参考人脸核身 DetectAuth 文档进行调用"
_SERVICE = "服务异常，请稍后重试或联系客服人员"
_VOICE = "声音未能识别，请大声慢读一遍数字"
_LIGHT = "光线不佳，建议在光源充足的室内环境验证"
_DISTANCE = "离屏幕太近或太远，请确保人脸清晰完整"
_NO_PHOTO = "未查询到照片信息，请通过其他渠道验证"
_NOT_SAME = "无法判断为同一人，请确认身份后重试"

FACE_CODES: dict[int, FaceCode] = {
    **_codes(Stage.SYSTEM, {
        0: "成功",
        1: _CALL,
        2: _CALL,
        3: _CALL,
        4: _SERVICE,
        8: _SERVICE,
        10: _SERVICE,
        12: _SERVICE,
        13: _SERVICE,
        14: "本次校验已完成",
        15: "Token 过期，请重试",
        16: "已达到重试上限",
        17: "本次流程未完成"}, frozenset({0})),
    **_codes(Stage.WECHAT, {
        201: "从微信拉取图片失败，请重试",
        202: "视频获取失败，请重试",
        203: "无此 API 调用权限",
        204: "当前公众号/小程序未完成对慧眼授权，请参照慧眼接入文档进行扫码授权，"
             "如有疑问可微信联系慧眼小助手（faceid001）",
        301: "当前认证人身份证号码与业务传入验证证件号码不符，请重新上传",
        302: "身份证已过期，请使用有效身份证进行核验",
        303: "扫描识别失败，请重新拍摄"}),
    **_codes(Stage.LIVENESS, {
        1001: "引擎超时，请稍后重试",
        1002: "疑似非真人录制",
        1003: "人脸识别验证未成功，请重试",
        1004: "人脸验证失败，请重试",
        1005: "人脸验证失败，请重试",
        1006: "证照库出错，请重试",
        1007: "未拉取微信活体结果或拉取微信活体结果失败",
        1008: "用户活体过程网络不稳定，请切换网络环境后重试",
        1101: _VOICE,
        1102: "脸部未完整露出，请保持正脸面对屏幕",
        1103: _VOICE,
        1104: "视频格式出错无法检测，请更换手机进行验证",
        1105: "视频拉取失败，请重试",
        1106: "声音太小，请大声慢读一遍数字",
        1107: "视频为空，或大小不合适，请控制录制时长在6s左右",
        1108: "视频像素太低无法检测，请更换手机进行验证",
        1109: "未识别到唇动，请大声慢读一遍数字",
        1201: _LIGHT,
        1202: _LIGHT,
        1203: _DISTANCE,
        1204: _DISTANCE,
        1205: _DISTANCE,
        1301: "疑似非真人录制，请重试",
        1302: "人脸验证失败，请重试。",
        1303: "视频录制时间过短，请重新录制2秒以上的视频。"}, frozenset({1002})),
    **_codes(Stage.COMPARE, {
        2001: "引擎超时，请稍后重试",
        2002: "姓名有误，请确认后重试",
        2003: "身份证号有误，请确认后重试",
        2004: "视频提取照片出错，请重试或更换手机进行验证",
        2005: "未查询到身份信息，请通过其他渠道验证",
        2006: "姓名和身份证号不匹配，请核实身份后重试",
        2007: _NO_PHOTO,
        2008: _NO_PHOTO,
        2009: "查询到照片分辨率过低，请通过其他渠道验证",
        2010: "脸部未完整露出，请保持正脸面对屏幕",
        2011: f"{_NOT_SAME}（疑似非活体）",
        2012: "检测到多张人脸，请保持验证视频中只有本人",
        2013: "脸部未完整露出，请保持正脸面对屏幕",
        2014: "视频像素太低无法检测，请更换手机进行验证",
        2015: f"{_NOT_SAME}（比对失败）",
        2016: f"{_NOT_SAME}（相似度未达到通过阈值）",
        2017: "权威数据源升级中，请稍后再试"}, frozenset({2006, 2016})),
}

# A similarity is reported once a comparison actually ran and scored the faces.
SCORED = {0: "92.35", 2011: "38.61", 2015: "12.04", 2016: "41.27"}


def outcome_of(code: int) -> str:
    """The control-API outcome name that forces ``code`` (``errcode_1001``)."""
    return f"errcode_{code}"


def magic_id(code: int) -> str:
    """The magic IdCard that completes a face session with ``code`` at once: born
    19XX-01-01 with XX = code // 100, sequence code % 100 (``2016`` -> ``110101192001010160``)."""
    return with_check_digit(f"11010119{code // 100:02d}0101{code % 100:03d}")


CODE_OUTCOMES: dict[str, int] = {outcome_of(code): code for code in FACE_CODES}
MAGIC_CODE_IDS: dict[str, int] = {magic_id(code): code for code in FACE_CODES}

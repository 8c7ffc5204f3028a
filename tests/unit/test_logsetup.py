import logging

from szca_unlock.logsetup import MaskingFilter, mask_value


def test_id_number_keeps_last_four():
    assert mask_value("身份证 44030519900101123X 已提交") == "身份证 **************123X 已提交"


def test_mobile_and_bank_card_masked():
    text = mask_value("mobile=13800138000 card=6222020200112233445")
    assert "13800138000" not in text and text.endswith("3445")
    assert "*******8000" in text


def test_filter_masks_arguments(caplog):
    logger = logging.getLogger("szca.test")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="szca.test"):
        logger.info("login %s", "13912345678")
    assert "13912345678" not in caplog.text
    assert "*******5678" in caplog.text

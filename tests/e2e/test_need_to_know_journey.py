"""Issue 13, "Must show" (Chromium, demo county).

1. A member of the public reports from a phone with a photo that carries its GPS position, the
   camera and its serial number; the team downloads that photo from the register, and it carries
   none of them any more (checked on the downloaded bytes).
2. The 反馈意见 that 县民政局's liaison downloads carries a trace code in its footer; the office head
   types that code, and then uploads the leaked file itself, on 泄密溯源 and finds the liaison.
   An office worker without the permission has no way to that page.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from PIL.ExifTags import IFD, Base
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.test_report_journey import PHONE, solve_captcha, staff_login
from xuncha.files.tests import identifying

pytestmark = pytest.mark.e2e

SCRUB_NOTICE = "上传的照片和文档会自动去除拍摄位置、设备信息和作者等属性。"
TRACE_CODE = re.compile(r"XC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")
FOOTER_TIME = re.compile(r"于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) 导出")


def desk(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    staff_login(page, base_url, username)
    return page


def identifying_tags(image: Image.Image) -> dict[str, object]:
    """What in a photo's EXIF tells where it was taken and with which camera."""
    exif = image.getexif()
    found = {
        "make": exif.get(Base.Make),
        "model": exif.get(Base.Model),
        "serial": exif.get_ifd(IFD.Exif).get(Base.BodySerialNumber),
        "gps": dict(exif.get_ifd(IFD.GPSInfo)),
    }
    return {key: value for key, value in found.items() if value}


def file_a_report_with_a_photo(browser: Browser, base_url: str, photo: Path, shot) -> str:
    """The public side, on a phone: the report with the photo; returns the 受理编号 of the receipt."""
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(base_url + "/report/")
    phone.locator(".xc-card").filter(has_text="青山镇").first.get_by_role("link", name="网上举报").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("反映青山镇的问题")
    phone.get_by_label(re.compile("^反映的问题")).fill("村道工程由镇长亲属承包，未经招标。照片是施工现场。")
    phone.get_by_label(re.compile("^证据材料")).set_input_files(photo)
    notice = phone.get_by_text(SCRUB_NOTICE)
    notice.scroll_into_view_if_needed()
    expect(notice).to_be_visible()
    expect(notice).to_be_in_viewport()
    solve_captcha(phone)
    shot(phone, "report-form")
    phone.get_by_role("button", name="提交举报").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("举报已提交")
    assert len(re.sub(r"\D", "", phone.locator("[data-receipt]").inner_text())) == 16
    intake_no = phone.get_by_text(re.compile("^受理编号")).inner_text().removeprefix("受理编号").strip()
    shot(phone, "receipt")
    phone.context.close()
    return intake_no


def test_a_phone_photo_reaches_the_team_without_position_or_camera(
    browser: Browser, base_url: str, shot, tmp_path: Path
) -> None:
    original = identifying.photo(orientation=1)
    with Image.open(io.BytesIO(original)) as sent:
        size = sent.size
        # The photo really carries what the page promises to remove, or the test proves nothing.
        assert set(identifying_tags(sent)) == {"make", "model", "serial", "gps"}
    photo = tmp_path / "IMG_20260912_102030.jpg"
    photo.write_bytes(original)
    intake_no = file_a_report_with_a_photo(browser, base_url, photo, shot)

    # 陈静 serves on 第一巡察组, which covers 青山镇: she opens the report and its photo.
    team = desk(browser, base_url, "xcz_chengyuan")
    team.locator("#xc-nav").get_by_role("link", name="信访举报", exact=True).click()
    team.get_by_role("link", name=intake_no, exact=True).click()
    expect(team.get_by_role("heading", level=1)).to_contain_text(intake_no)
    expect(team.get_by_text("村道工程由镇长亲属承包")).to_be_visible()
    with team.expect_download() as download_info:
        team.get_by_role("link", name=re.compile("^附件1")).click()
    received = download_info.value.path().read_bytes()
    team.context.close()

    with Image.open(io.BytesIO(received)) as image:
        assert image.format == "JPEG"
        assert image.size == size
        assert identifying_tags(image) == {}
        # Still the same picture: red on the left, blue on the right.
        rgb = image.convert("RGB")
        red, blue = rgb.getpixel((8, 24)), rgb.getpixel((56, 24))
        assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]
    # Nor anywhere else in the file (XMP, IPTC, comment, the EXIF thumbnail all carry the marker).
    assert b"MARKER" not in received


def trace_in_footer(data: bytes) -> tuple[str, str]:
    """(code, "YYYY-MM-DD HH:MM") from the trace line in the footer of a downloaded .docx."""
    document = Document(io.BytesIO(data))
    lines = [p.text for section in document.sections for p in section.footer.paragraphs if "追溯码" in p.text]
    assert lines, "no trace line in the footer"
    assert "周民" in lines[0], lines
    code, when = TRACE_CODE.search(lines[0]), FOOTER_TIME.search(lines[0])
    assert code and when, lines
    return code.group(0), when.group(1)


def open_manage_menu(page: Page) -> Locator:
    nav = page.locator("#xc-nav")
    nav.get_by_role("button", name="管理").click()
    menu = nav.locator(".dropdown-menu.show")
    expect(menu).to_be_visible()
    return menu


def trace_rows(page: Page) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name="查询结果")).locator("tbody tr")


def test_a_leaked_feedback_opinion_is_traced_to_its_downloader(
    browser: Browser, base_url: str, shot, tmp_path: Path
) -> None:
    # 县民政局's liaison downloads the opinion fed back to the bureau.
    liaison = desk(browser, base_url, "mz_lianluoyuan")
    liaison.locator("#xc-nav").get_by_role("link", name="巡察反馈", exact=True).click()
    liaison.get_by_role("link", name="县民政局", exact=True).click()
    expect(liaison.get_by_role("heading", level=1)).to_contain_text("对县民政局的反馈意见")
    with liaison.expect_download() as download_info:
        liaison.get_by_role("link", name="下载反馈意见").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    # The copy turns up elsewhere under another name.
    leaked = tmp_path / "网传材料.docx"
    download.save_as(leaked)
    liaison.context.close()
    code, when = trace_in_footer(leaked.read_bytes())

    # An office worker without the permission sees no such entry, and the address refuses him.
    staff = desk(browser, base_url, "xcb_ganbu")
    menu = open_manage_menu(staff)
    expect(menu.get_by_role("link", name="人才库")).to_be_visible()  # the menu is there, with items
    expect(menu.get_by_role("link", name="泄密溯源")).to_have_count(0)
    assert staff.goto(base_url + "/documents/trace/").status == 403
    staff.context.close()

    # The office head types the code read off the footer, as a person would.
    head = desk(browser, base_url, "xcb_zhuren")
    open_manage_menu(head).get_by_role("link", name="泄密溯源").click()
    expect(head.get_by_role("heading", level=1)).to_have_text("泄密溯源")
    head.get_by_label("追溯码").fill(code.lower().replace("-", " "))
    head.get_by_role("button", name="查询", exact=True).click()
    row = trace_rows(head)
    expect(row).to_have_count(1)
    for text in (code, "周民", "mz_lianluoyuan", when, "巡察反馈意见", "县民政局", "输入的追溯码"):
        expect(row).to_contain_text(text)
    shot(head, "trace-result")

    # Then the leaked file itself: read from inside the file, not from the code typed before.
    head.get_by_label("外泄的文件").set_input_files(leaked)
    head.get_by_role("button", name="检查文件").click()
    row = trace_rows(head)
    expect(row).to_have_count(1)
    for text in (code, "周民", when, "文件属性中的追溯码", "正文中的隐写指纹", "与导出的文件完全相同"):
        expect(row).to_contain_text(text)
    expect(row).not_to_contain_text("输入的追溯码")
    shot(head, "trace-file")
    head.context.close()

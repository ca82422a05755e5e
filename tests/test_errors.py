from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_a_missing_page_answers_404_in_chinese(client, bilingual_site):
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "页面不存在" in html
    assert '<a href="/zh-hans/">返回首页</a>' in html


def test_a_missing_page_answers_404_in_english(client, bilingual_site):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html
    assert '<a href="/en/">Go to the home page</a>' in html


def test_the_server_error_page_needs_no_database_and_speaks_both_languages():
    # No django_db mark: any query would raise here, as it may when the
    # database is what failed.
    request = RequestFactory().get("/en/")
    with translation.override("en"):
        english = server_error(request).content.decode()
    with translation.override("zh-hans"):
        chinese = server_error(request).content.decode()
    assert '<html lang="en">' in english
    assert "Server error" in english
    assert '<html lang="zh-Hans">' in chinese
    assert "服务器错误" in chinese

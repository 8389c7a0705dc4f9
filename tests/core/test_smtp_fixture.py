from django.core.mail import send_mail


def test_mail_arrives(smtp_inbox, db):
    send_mail("Hello", "Body text", "a@example.com", ["b@example.com"])
    [m] = smtp_inbox.wait_for(1)
    assert m["Subject"] == "Hello" and "Body text" in smtp_inbox.text_of(m)

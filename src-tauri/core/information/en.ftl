## Silta's information text: what a person is told before they consent to a referral, a report to
## the police, or the keeping of their data. Shown in large type, in their language, before they
## decide; the version and language are stored with their consent.
##
## To translate: copy this file, name it by the language's ISO 639 code (ro.ftl, uk.ftl, ar.ftl),
## translate the text after each "=", and put it in the "information" folder beside the vault
## file. Keep every message name (the word before "="); keep { $organisation } where it is.
## Change "version" whenever the wording changes: every consent records the version it was shown.
## Check the file with: silta information check ro.ftl

version = 2026-1

# The organisation, when it has not set its name in Silta.
our-organisation = Our organisation

title = Before you decide
intro =
    You decide what happens to what you have told us. Please read this, or ask for it to be read
    to you. You can ask questions at any time, and you can say no. If you say no, we still help you.

assistance-system-title = The Assistance System for Victims of Human Trafficking
assistance-system =
    The Assistance System is a Finnish authority that helps victims of human trafficking. It is
    run by Joutseno reception centre and works all over Finland. Its help is free of charge.

    Depending on your situation, the Assistance System can offer advice and guidance, social and
    health services, crisis help and psychological support, an interpreter, safe accommodation if
    you need it, a reception allowance or social assistance, legal aid, and help if you want to
    return safely to your home country.

    You do not have to report a crime to the police to get this help. The Assistance System does
    not report its clients to the police.

    If you agree, we send the Assistance System a referral: your name and the other information
    you choose, what you have told us, and how to reach you safely. The Assistance System decides
    whether you become its client. You can stop being its client whenever you want.

police-report-title = A report to the police
police-report =
    Human trafficking is a crime. If you agree, we pass what you have told us to the police, or
    help you report it. The police then start a criminal investigation and may ask you to give a
    statement.

    You have the right to a lawyer in the investigation and in court. The state often pays for
    one; we help you apply.

    Reporting to the police is your choice. You get help from the Assistance System and from us
    whether you report or not. You can agree to a referral to the Assistance System and say no to
    the police.

    The police get only the information you agree to. Information about your health is not sent
    to the police unless you agree to that separately.

data-keeping-title = How we keep your information
data-keeping =
    { $organisation } keeps what you tell us, and the help you get, encrypted on our computer.
    Only our staff can open it.

    We keep it only as long as we need it to help you, or as long as the law requires; then it is
    erased. You can ask us to erase it sooner. If you withdraw your consent to our keeping it, we
    go through it and erase what we are not required to keep.

    We give your information to no one without your consent, with one exception: if you are under
    18, or we think a child is in danger, the Child Welfare Act (section 25) requires us to tell
    the child welfare services, and in some cases the police. If that happens, we tell you.

rights-title = Your rights
rights =
    You can say no. You can agree to one thing and say no to another: for example, yes to a
    referral to the Assistance System and no to the police.

    You can change your mind. You can withdraw your consent at any time, and that is as easy as
    giving it. What has been sent already cannot be taken back, but nothing more is sent.

    You can ask to see the information we keep about you, and ask us to correct it.

    You can ask for an interpreter; it costs you nothing. You can ask questions at any time.

    If you think we have handled your information wrongly, you can complain to the Data Protection
    Ombudsman.

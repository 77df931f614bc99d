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
    to you. You can ask questions at any time, and you can say no. If you say no, we still help
    you.

assistance-system-title = The Assistance System for Victims of Human Trafficking
assistance-system =
    The Assistance System is a Finnish authority that helps victims of human trafficking. It is
    run by Joutseno reception centre, which is part of the Finnish Immigration Service (Migri).
    The Assistance System works all over Finland. Its help costs you nothing.

    Depending on your situation, the Assistance System can offer advice and guidance, social and
    health services, crisis help and psychological support, an interpreter, a safe place to stay
    if you need one, a reception allowance or social assistance, legal advice, and support if
    you want to return safely to your home country.

    You get this help even if you do not report a crime to the police. The Assistance System
    does not report its clients to the police. You get help even if you have no right to stay in
    Finland, and the Assistance System also advises on your right to stay.

    If you agree, we ask the Assistance System to take you on as a client. This is called a
    referral. We send your name and the other information you choose yourself, what you have
    told us, and how to reach you safely. The Assistance System decides whether you are taken on
    as a client. You can stop being its client at any time.

police-report-title = A report to the police
police-report =
    Human trafficking is a crime. If you agree, we give the police what you have told us, or
    help you report it yourself. The police then start a criminal investigation and may ask you
    to tell them about it in an interview. Once the police know of the crime, they can go on
    with the investigation even if you later change your mind. You may also be called to tell
    about it in court.

    You have the right to a lawyer who helps you in the investigation and in court. The state
    often pays for the lawyer. We help you apply for one. You can also have a support person.

    Reporting to the police is your choice. Whether you report or not does not change whether
    you get help from the Assistance System and from us. You can agree to a referral to the
    Assistance System and say no to the police.

    We give the police only the information you agree to. We do not send information about your
    health to the police unless you agree to that separately.

data-keeping-title = How we keep your information
data-keeping =
    { $organisation } keeps what you tell us, and what help you get. It is kept encrypted on our
    computer, and only our staff can open it.

    We keep it only as long as we need it to help you, or as long as the law requires; then it
    is erased. You can ask us to erase it sooner. If you withdraw your consent to our keeping
    it, we go through it and erase what we are not required to keep.

    We give your information to no one without your consent. But sometimes the law requires us
    to tell. If you are under 18, or we think a child is in danger, we must make a child welfare
    notification, and sometimes also tell the police (Child Welfare Act, section 25). We must
    also tell the police if we learn that someone is planning a serious crime. If that happens,
    we tell you.

rights-title = Your rights
rights =
    You can say no. You can agree to one thing and say no to another: for example, yes to a
    referral to the Assistance System and no to the police.

    You can change your mind. You can withdraw your consent at any time, and that is as easy as
    giving it: telling any one of us is enough. What has been sent already cannot be taken back
    (the police, for example, can go on with their investigation), but after that we send
    nothing more.

    You can ask to see the information we have about you, and ask us to correct it.

    You can ask for an interpreter. It costs you nothing. You can ask questions at any time.

    If you think we have handled your information wrongly, you can complain to the Data
    Protection Ombudsman.

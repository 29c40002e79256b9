"""Names vulture (pyproject.toml [tool.vulture]) would report as unused, that are used by name, not by Python code.

Regenerate the candidates with `vulture --make-whitelist` after deleting what is really dead; keep here only
what Django, Celery, locust, settings strings or templates use. Dead code is deleted, never listed here.
"""
# ruff: noqa
# fmt: off

# --- Entry points named in settings, URLconfs, management, admin, Celery, locust, and template-read properties --
AccountsConfig  # unused class (cls_portal/accounts/apps.py:4)
ActionsConfig  # unused class (actions/apps.py:4)
BenchScaleConfig  # unused class (bench/scale/apps.py:4)
Command  # unused class (bench/scale/management/commands/seed_scale.py:38)
Command  # unused class (cls_portal/core/management/commands/seed_demo.py:24)
Command  # unused class (cls_portal/territories/management/commands/build_territory_data.py:26)
Command  # unused class (cls_portal/territories/management/commands/import_territories.py:8)
Command  # unused class (reports/management/commands/generate_reports.py:22)
Command  # unused class (reports/management/commands/requeue_reports.py:6)
ContractsConfig  # unused class (contracts/apps.py:4)
CoreConfig  # unused class (cls_portal/core/apps.py:4)
DiagnosticsConfig  # unused class (diagnostics/apps.py:4)
DirectoryConfig  # unused class (directory/apps.py:4)
FastRenderer  # unused class (cls_portal/core/renderers.py:70)
aria_describedby  # Django's BoundField property, overridden (cls_portal/core/renderers.py)
bound_field_class  # read by Django's BaseForm (cls_portal/core/validation.py)
as_sql  # Django's Expression API, compiled by the SQL compiler (cls_portal/core/collation.py: Folded)
output_field  # Django's Expression API (cls_portal/core/collation.py: Folded)
nom_recherche  # generated columns, filtered on by name (nom_recherche__contains: directory, regional, contracts)
titre_recherche  # likewise (regional sheet and indicator lists)
libelle_recherche  # likewise (regional indicator list)
FundingConfig  # unused class (funding/apps.py:4)
ImportsConfig  # unused class (imports/apps.py:4)
NotificationsConfig  # unused class (cls_portal/notifications/apps.py:4)
PortalUser  # unused class (bench/locustfile.py:20)
RegionalConfig  # unused class (regional/apps.py:4)
ReportsConfig  # unused class (reports/apps.py:4)
TerritoriesConfig  # unused class (cls_portal/territories/apps.py:4)
UsernameOrEmailBackend  # unused class (cls_portal/accounts/backends.py:6)
_._followups  # unused method (bench/scale/management/commands/seed_scale.py:223)
_._funding  # unused method (bench/scale/management/commands/seed_scale.py:265)
_._indicators  # unused method (bench/scale/management/commands/seed_scale.py:197)
_._meetings  # unused method (bench/scale/management/commands/seed_scale.py:239)
_.authenticate  # unused method (cls_portal/accounts/backends.py:9)
_.expired_on  # unused property (contracts/models.py:276), read by the contract page and lists
_.forget_roles  # unused method (cls_portal/accounts/models.py:43)
_.has_add_permission  # unused method (funding/admin.py:9)
_.has_change_permission  # unused method (funding/admin.py:12)
_.has_delete_permission  # unused method (funding/admin.py:15)
_.is_current  # unused property (reports/models.py:124)
_.is_frozen  # unused property (diagnostics/models.py:89)
_.mois_vacants  # unused property (funding/models.py:134)
_.on_start  # unused method (bench/locustfile.py:23)
_.part_atteints  # unused property (actions/selectors.py:104)
_.part_realisees  # unused property (actions/selectors.py:100)
_.publics_display  # unused method (diagnostics/models.py:163)
bad_request  # unused function (cls_portal/core/error_views.py:22)
broker_backoff_reset  # unused function (reports/services.py:57)
page_not_found  # unused function (cls_portal/core/error_views.py:17)
permission_denied  # unused function (cls_portal/core/error_views.py:12)
portal  # unused function (cls_portal/accounts/context_processors.py:7)
server_error  # unused function (cls_portal/core/error_views.py:26)

# --- Model fields, enum members, dataclass fields and attributes read by templates, the ORM (by string) or Django -
ANALYSE_DONNEES  # unused variable (diagnostics/enums.py:39)
ARS_AAP  # unused variable (actions/enums.py:127)
ASSOCIATIONS  # unused variable (diagnostics/enums.py:78)
BASSE  # unused variable (actions/enums.py:90)
BUDGET  # unused variable (actions/enums.py:154)
CABINET  # unused variable (diagnostics/enums.py:50)
CALENDRIER  # unused variable (actions/enums.py:153)
CLSM  # unused variable (diagnostics/enums.py:86)
COMMUNICATION  # unused variable (actions/enums.py:120)
CONTEXTE  # unused variable (actions/enums.py:149)
COPILOTE  # unused variable (actions/enums.py:137)
CREAI  # unused variable (diagnostics/enums.py:49)
DESCRIPTION  # unused variable (actions/enums.py:151)
ELUS  # unused variable (diagnostics/enums.py:76)
ENTRETIENS  # unused variable (diagnostics/enums.py:40)
EXPERT  # unused variable (actions/enums.py:141)
FIN_DE_CONTRAT  # unused variable (actions/enums.py:104)
FOCUS_GROUPES  # unused variable (diagnostics/enums.py:42)
HABITANTS  # unused variable (diagnostics/enums.py:75)
HAUTE  # unused variable (actions/enums.py:88)
INDICATEURS  # unused variable (actions/enums.py:155)
INVESTISSEMENT  # unused variable (actions/enums.py:121)
MENSUELLE  # unused variable (actions/enums.py:103)
NON_DEMARREE  # unused variable (actions/enums.py:108)
OBJECTIFS  # unused variable (actions/enums.py:150)
PARCOURS  # unused variable (diagnostics/enums.py:61)
PERSONNEL  # unused variable (actions/enums.py:117)
PHASE_ORDER  # unused variable (contracts/enums.py:14)
PROFESSIONNELS  # unused variable (diagnostics/enums.py:77)
RAPPORT  # unused variable (contracts/enums.py:30)
RELAIS  # unused variable (actions/enums.py:140)
REUNIONS_PUBLIQUES  # unused variable (diagnostics/enums.py:43)
SEMESTRIELLE  # unused variable (actions/enums.py:101)
SUSPENDUE  # unused variable (actions/enums.py:112)
TERRITOIRE  # unused variable (diagnostics/enums.py:57)
TRIMESTRIELLE  # unused variable (actions/enums.py:102)
WITHDRAWN  # unused variable (contracts/enums.py:21)
_.adding  # unused attribute (diagnostics/services.py:101)
_.adding  # unused attribute (diagnostics/services.py:110)
_.commentaire_revue  # unused attribute (diagnostics/services.py:103)
_.commentaire_revue  # unused attribute (diagnostics/services.py:201)
_.completeness  # unused attribute (actions/selectors.py:168)
_.detail  # unused attribute (diagnostics/selectors.py:91)
_.detail  # unused attribute (diagnostics/selectors.py:93)
_.detail  # unused attribute (diagnostics/selectors.py:95)
_.enqueued_at  # unused attribute (reports/services.py:205)
_.font  # unused attribute (imports/plan.py:184)
_.id  # unused attribute (diagnostics/services.py:100)
_.id  # unused attribute (diagnostics/services.py:109)
_.instruite_le  # unused attribute (funding/services.py:150)
_.instruite_par  # unused attribute (funding/services.py:150)
_.is_staff  # unused attribute (contracts/demo.py:56)
_.previous  # unused attribute (diagnostics/services.py:102)
_.published_at  # unused attribute (reports/services.py:233)
_.published_by  # unused attribute (reports/services.py:233)
_.recorded_by  # unused attribute (funding/services.py:324)
_.saisi_par  # unused attribute (actions/services.py:346)
_.saisi_par  # unused attribute (actions/services.py:365)
_.sans_decision  # unused attribute (funding/selectors.py:197)
_.upcoming  # unused attribute (contracts/views.py:122)
_.valide_le  # unused attribute (diagnostics/services.py:103)
_.valide_le  # unused attribute (diagnostics/services.py:199)
_.valide_par  # unused attribute (diagnostics/services.py:103)
_.valide_par  # unused attribute (diagnostics/services.py:199)
_.validees  # unused attribute (actions/selectors.py:124)
acteurs_a_associer  # unused variable (diagnostics/models.py:48)
actif  # unused variable (regional/filters.py:62)
actions_existantes  # unused variable (diagnostics/models.py:47)
ajouter  # unused variable (contracts/forms.py:55)
ajouts  # unused variable (contracts/forms.py:158)
annee_fin  # unused variable (contracts/filters.py:18)
annee_rapport  # unused variable (regional/filters.py:74)
annee_signature  # unused variable (regional/filters.py:72)
application  # unused variable (cls_portal/wsgi.py:6)
apports  # unused variable (diagnostics/models.py:223)
appui_externe  # unused variable (diagnostics/models.py:51)
appui_externe_precisions  # unused variable (diagnostics/models.py:53)
attempts  # unused variable (reports/models.py:88)
auteur  # unused variable (actions/models.py:232)
avancement  # unused variable (actions/forms.py:163)
avancement  # unused variable (actions/models.py:211)
axe_numero  # unused variable (imports/plan.py:56)
axe_titre  # unused variable (imports/plan.py:57)
axe_type  # unused variable (imports/plan.py:58)
button_class  # unused variable (actions/enums.py:62)
colonnes  # unused variable (cls_portal/core/exports.py:37)
comment_required_for_delegation  # unused variable (contracts/workflow.py:129)
commentaire_revue  # unused variable (diagnostics/models.py:60)
commune  # unused variable (cls_portal/territories/models.py:144)
compte_rendu_document  # unused variable (contracts/models.py:325)
contrat  # unused variable (regional/filters.py:115)
contrat  # unused variable (regional/filters.py:136)
coordination  # unused variable (regional/filters.py:66)
coordination_hypothese  # unused variable (diagnostics/models.py:46)
created_at  # unused variable (actions/models.py:238)
created_at  # unused variable (actions/models.py:72)
created_at  # unused variable (cls_portal/notifications/models.py:13)
created_at  # unused variable (contracts/models.py:105)
created_at  # unused variable (contracts/models.py:351)
created_at  # unused variable (diagnostics/models.py:66)
created_at  # unused variable (funding/models.py:161)
created_at  # unused variable (funding/models.py:181)
created_at  # unused variable (funding/models.py:233)
created_at  # unused variable (funding/models.py:45)
created_by  # unused variable (contracts/models.py:350)
created_by  # unused variable (funding/models.py:43)
default_error_messages  # unused variable (funding/forms.py:20)
demande  # unused variable (funding/selectors.py:163)
deposee_le  # unused variable (funding/models.py:107)
deposee_par  # unused variable (funding/models.py:105)
emailed  # unused variable (cls_portal/notifications/models.py:15)
engage  # unused variable (funding/selectors.py:164)
enqueued_at  # unused variable (reports/models.py:84)
exp  # unused variable (cls_portal/core/formatting.py:31)
fiche_titre  # unused variable (imports/plan.py:60)
financement  # unused variable (regional/filters.py:69)
finished_at  # unused variable (reports/models.py:86)
frequence  # unused variable (actions/models.py:170)
from_phase  # unused variable (contracts/models.py:152)
from_phase  # unused variable (contracts/models.py:182)
garder  # unused variable (contracts/forms.py:52)
gouvernance_hypothese  # unused variable (diagnostics/models.py:45)
handler400  # unused variable (cls_portal/urls.py:18)
handler403  # unused variable (cls_portal/urls.py:19)
handler404  # unused variable (cls_portal/urls.py:20)
handler500  # unused variable (cls_portal/urls.py:21)
hint  # unused variable (regional/selectors.py:103)
historique  # unused variable (funding/selectors.py:68)
importee  # unused variable (funding/selectors.py:90): read by funding/contract.html
implications  # unused variable (diagnostics/models.py:175)
indicateur_type  # unused variable (imports/plan.py:67)
input_type  # unused variable (funding/forms.py:66)
instruite_le  # unused variable (funding/models.py:110)
instruite_par  # unused variable (funding/models.py:108)
interet_partenaire  # unused variable (diagnostics/models.py:224)
list_editable  # unused variable (cls_portal/territories/admin.py:42)
localized_fields  # unused variable (diagnostics/forms.py:49)
modifications  # unused variable (contracts/forms.py:159)
nb_recipients  # unused variable (cls_portal/notifications/models.py:37)
outils_precisions  # unused variable (diagnostics/models.py:50)
par_financeur  # unused variable (funding/selectors.py:109)
perimetre_hypothese  # unused variable (diagnostics/models.py:44)
politique  # unused variable (diagnostics/models.py:172)
postes_pourvus  # unused variable (funding/selectors.py:167)
postes_vacants  # unused variable (funding/selectors.py:168)
previous  # unused variable (contracts/models.py:90)
previous  # unused variable (diagnostics/models.py:38)
published_at  # unused variable (reports/models.py:94)
published_by  # unused variable (reports/models.py:95)
rapport  # unused variable (regional/filters.py:73)
read_at  # unused variable (cls_portal/notifications/models.py:14)
recorded_by  # unused variable (funding/models.py:179)
recorded_by  # unused variable (funding/models.py:208)
recorded_by  # unused variable (funding/models.py:231)
requested_at  # unused variable (reports/models.py:83)
requested_by  # unused variable (reports/models.py:81)
retraits  # unused variable (contracts/forms.py:161)
reused_from  # unused variable (reports/models.py:76)
revue  # unused variable (actions/filters.py:18)
risque  # unused variable (diagnostics/models.py:225)
role_potentiel  # unused variable (diagnostics/models.py:222)
saisi_le  # unused variable (actions/models.py:197)
saisi_le  # unused variable (actions/models.py:217)
saisi_par  # unused variable (actions/models.py:195)
saisi_par  # unused variable (actions/models.py:215)
sans_decision  # unused variable (funding/selectors.py:169)
sent_at  # unused variable (cls_portal/notifications/models.py:38)
sign  # unused variable (cls_portal/core/formatting.py:31)
started_at  # unused variable (reports/models.py:34)
started_at  # unused variable (reports/models.py:85)
started_by  # unused variable (reports/models.py:32)
synthese  # unused variable (diagnostics/models.py:154)
taille  # unused variable (contracts/models.py:220)
taux_pourcent  # unused variable (funding/forms.py:169)
to_phase  # unused variable (contracts/models.py:153)
to_phase  # unused variable (contracts/models.py:183)
total_finance  # unused variable (actions/selectors.py:232)
total_prevu  # unused variable (actions/selectors.py:230)
total_realise  # unused variable (actions/selectors.py:231)
tri  # unused variable (contracts/filters.py:20)
uploaded_at  # unused variable (contracts/models.py:228)
uploaded_by  # unused variable (contracts/models.py:226)
valide_le  # unused variable (diagnostics/models.py:62)
valide_par  # unused variable (diagnostics/models.py:63)
validees  # unused variable (actions/selectors.py:96)
wait_time  # unused variable (bench/locustfile.py:21)
details  # unused variable (cls_portal/core/history.py:366): a history line's changes, read by templates/core/history.html

# --- Issue 18 (docs/security.md): named in settings, called by Django, axes or django-filter -----------------
PortalAdminConfig  # INSTALLED_APPS (cls_portal/accounts/admin_config.py)
default_site  # read by django.contrib.admin's AdminConfig
PortalAdminSite  # AdminConfig.default_site
site_header  # AdminSite attribute read by the admin templates
site_title  # AdminSite attribute read by the admin templates
login_form  # AdminSite.login() reads it
ThrottledBackend  # AUTHENTICATION_BACKENDS
canonical_username  # AXES_USERNAME_CALLABLE
lockout_response  # AXES_LOCKOUT_CALLABLE
WriteConflictMiddleware  # MIDDLEWARE
PrivateCacheMiddleware  # MIDDLEWARE
process_exception  # middleware hook called by Django
field_class  # django-filter's Filter reads it
_.__class__  # validation._swap: the field's class is replaced on purpose
_.is_required  # read by Django's widgets

# --- Starting a région (issue 13) ---
CCAS  # unused variable (cls_portal/territories/models.py): organisation types offered by the forms
SERVICE_JEUNESSE  # unused variable (cls_portal/territories/models.py)
SERVICE_PETITE_ENFANCE  # unused variable (cls_portal/territories/models.py)
SERVICE_CULTURE  # unused variable (cls_portal/territories/models.py)
SERVICE_COLLECTIVITE  # unused variable (cls_portal/territories/models.py)
MSP  # unused variable (cls_portal/territories/models.py)
EDUCATION  # unused variable (cls_portal/territories/models.py)
_.validate_unique  # unused method (contracts/forms.py): Django's ModelForm hook
invited_at  # unused variable (contracts/models.py): PendingContact field the invitations (issue 14) fill in
coordinateurs  # unused variable (imports/contracts.py): ContractRowForm field, read from cleaned_data
# --- Issue 14 (people and sign-in): named in settings, called by mozilla-django-oidc, read by the ORM by string ---
PeopleConfig  # INSTALLED_APPS (people/apps.py)
ProConnectBackend  # AUTHENTICATION_BACKENDS when ProConnect is configured (cls_portal/accounts/oidc.py)
verify_claims  # mozilla-django-oidc's OIDCAuthenticationBackend hook, overridden
get_or_create_user  # mozilla-django-oidc's OIDCAuthenticationBackend hook, overridden
failure_url  # mozilla-django-oidc's callback view reads it
password1  # AcceptInvitationForm field, read as cleaned_data["password1"]
password2  # AcceptInvitationForm field, compared in clean()
accepted_by  # Invitation: who accepted (audit, admin)
email_wanted  # Notification: filtered by string in notification_email_send
email_claimed_at  # Notification: the sending task's claim, filtered by string
confirme  # unused variable (reports/forms.py:30): a required form field, read by Django's form machinery

# --- Issue 15 (work lists): attributes set by views, read by templates -------------------------------------
work  # actions/views.py my_sheets: a sheet's pending items, read by actions/my_sheets.html
is_main_pilot  # actions/views.py my_sheets: read by actions/my_sheets.html
work_groups  # contracts/views.py my_cls: a contract's pending items, read by contracts/my_cls.html
avancement_label  # directory/views.py summary: a sheet's last progress in words, read by directory/summary.html
thematique  # unused variable (cls_portal/accounts/rgaa.py): read by templates/legal/accessibilite.html
profil  # unused property (cls_portal/accounts/rgaa.py): read by templates/legal/accessibilite.html
# --- Issue 20 (regional figures at a date, QPV) ---------------------------------------------------------------
au  # regional/filters.py, regional/forms.py: the date of the figures, a filter / form field read by name
with_population  # regional/selectors.py QPVCoverage: read by regional/dashboard.html
groupe_travail  # unused variable (actions/models.py): a ModelForm field and FICHE_FIELDS entry, read by name
evaluation_questions  # unused variable (contracts/models.py, forms.py): fields read by name (services.EVALUATION_FIELDS) and by contract_detail.html
evaluation_evaluateurs  # idem
evaluation_calendrier  # idem
specificites_locales  # unused variable (contracts/models.py, forms.py): read by name (services.PREALABLE_FIELDS) and by contract_detail.html
dispositifs_existants  # idem
benefices_attendus  # idem
RENCONTRE_ELUS  # unused variable (contracts/enums.py): an InstanceType choice offered by the instance form
CONSEIL  # idem
recrutement_avis_ars  # unused variable (contracts/models.py, forms.py): read by name (services.RECRUITMENT_FIELDS) and by contract_detail.html
recrutement_prise_de_poste  # idem
FICHE_POSTE  # unused variable (contracts/enums.py): a DocumentType choice offered by the upload form
completude  # unused attribute (actions/selectors.py): read by fiche_detail.html on each yearly value
# --- Issue 21 items 3 and 4 (library of resources, regional network) ------------------------------------------
ResourcesConfig  # unused class (resources/apps.py): named by INSTALLED_APPS
NetworkConfig  # unused class (network/apps.py): named by INSTALLED_APPS
GUIDE  # unused variable (resources/enums.py): ResourceCategory choices offered by the forms and the filter
FICHE_PRATIQUE  # idem
KIT_COMMUNICATION  # idem
CHARTE_GRAPHIQUE  # idem
MODELE  # idem
FORMATION  # unused variable (network/enums.py): EventType choices offered by the event form
ECHANGE  # idem
REUNION  # idem
PRESENT  # unused variable (network/enums.py): Presence choices offered by the attendance form
ABSENT  # idem
EXCUSE  # idem
archivees  # unused variable (resources/filters.py): a filter read by name from the query string
archiver  # unused variable (resources/forms.py): a form field read as cleaned_data["archiver"]
inviter  # unused variable (network/forms.py): a form field read as cleaned_data["inviter"]
field_order  # unused variable (resources/forms.py, network/forms.py): read by Django's form machinery
current_version  # resources: the latest version, kept by the services, read by templates and select_related
my_invitation  # network/views.py event_list: read by network/_event_rows.html
empty_label  # actions/forms.py: set on the resource field, read by Django's ModelChoiceField
quoi  # regional/forms.py WorkFilterForm: a filter read as cleaned_data["quoi"] (the kind of item)

# --- Reports leave out sheets abandoned before their validation: the flag is read by the ORM by string ----------
abandonnee_apres_validation  # unused variable (actions/models.py:106), read in actions.permissions.reported_plan_scope

# --- XLSX exports: a date cell's display format, read by openpyxl when it writes the sheet ----------------------------
number_format  # unused attribute (cls_portal/core/exports.py): openpyxl writes it as the cell's number format

# --- The dialogue de gestion's preparation: the years before and after, read by funding/contract.html -------------
precedente  # unused property (funding/selectors.py), read by funding/templates/funding/contract.html
suivante  # unused property (funding/selectors.py), read by funding/templates/funding/contract.html

# --- The lifecycle box: a refused form's errors that belong to no field drawn, read by includes/cycle_errors.html --
refusals  # unused property (contracts/forms.py:91)

# --- The plan import's confirmation: whether it asks if the file is the signed plan, read by imports/plan.html ------
asks_signed_plan  # unused property (imports/plan.py), read by imports/templates/imports/plan.html

# --- The contract page: whether a signatory row can be removed (services.signatory_removable), read by its template -
removable  # unused attribute (contracts/views.py), read by contracts/templates/contracts/contract_detail.html

# --- The reports' charts drawn by the portal: WeasyPrint's image interface, and the count the tests read -------------
get_intrinsic_size  # unused method (cls_portal/pdf_charts.py): WeasyPrint calls it on every image of its cache
drawn_here  # unused attribute (cls_portal/pdf_charts.py), read by tests/core/test_pdf_charts.py
